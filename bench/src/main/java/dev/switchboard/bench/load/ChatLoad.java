package dev.switchboard.bench.load;

import dev.switchboard.bench.report.LatencySummary;
import dev.switchboard.bench.util.Waits;
import dev.switchboard.client.ServerErrorException;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator shared by {@code p2p}, {@code baseline} and the chatting pairs of {@code
 * connections}: senders write 1:1 messages to their peers through the SDK, either keeping a window
 * of messages in flight each (max-throughput: the next message goes out when a SENT comes back) or
 * at a fixed total rate, paced by one thread against a schedule. In fixed-rate mode every latency
 * is measured from the message's scheduled send time, so a stall that delays sends shows up in the
 * figures instead of being hidden by the senders waiting (coordinated omission).
 *
 * <p>Every SENT goes to the {@link DeliveryChecker}; the receivers' side is {@link Deliveries}.
 */
public final class ChatLoad {
  private static final Logger log = LoggerFactory.getLogger(ChatLoad.class);

  /** Fixed-rate mode stops issuing (the schedule keeps running) past this many unanswered sends. */
  static final int MAX_OUTSTANDING = 200_000;

  /** A sender and the user it writes to. */
  public record Route(SwitchboardClient client, long toUserId) {}

  private enum Phase {
    RUNNING,
    STOPPED
  }

  private final ChatLoadConfig config;
  private final List<Route> routes;
  private final DeliveryChecker checker;
  private final Deliveries deliveries;
  private final Window window;
  private final String idPrefix;
  private final Recorder sentLatency = Deliveries.newRecorder();
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong idCounter = new AtomicLong();
  private final LongAdder sentTotal = new LongAdder();
  private final LongAdder sentInWindow = new LongAdder();
  private final LongAdder givenUp = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private volatile Phase phase = Phase.RUNNING;
  private volatile boolean stopRequested;

  public ChatLoad(
      ChatLoadConfig config,
      List<Route> routes,
      DeliveryChecker checker,
      Deliveries deliveries,
      Window window,
      String idPrefix) {
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("a chat load needs at least one sender");
    }
    this.config = config;
    this.routes = List.copyOf(routes);
    this.checker = checker;
    this.deliveries = deliveries;
    this.window = window;
    this.idPrefix = idPrefix;
  }

  /**
   * Sends for warm-up + duration, then stops, calls {@code atEndOfSending} (e.g. to read the
   * consumer lag at that moment), and waits for the outstanding SENTs and deliveries.
   */
  public ChatLoadResult run(Consumer<Long> atEndOfSending) {
    long start = System.nanoTime();
    long open = start + config.warmup().toNanos();
    long end = open + config.duration().toNanos();
    window.open(open);
    window.close(end);
    log.info(
        "{} senders, {}; warm-up {} s, measuring {} s",
        routes.size(),
        config.fixedRate()
            ? String.format("%.0f msg/s in total", config.ratePerSecond())
            : config.window() + " in flight each",
        config.warmup().toSeconds(),
        config.duration().toSeconds());
    if (config.fixedRate()) {
      pace(start, end);
    } else {
      for (Route r : routes) {
        for (int i = 0; i < config.window(); i++) {
          sendNew(r, System.nanoTime());
        }
      }
      Waits.until(
          () -> stopRequested || System.nanoTime() >= end,
          Duration.ofNanos(Math.max(0, end - System.nanoTime())));
    }
    phase = Phase.STOPPED;
    window.close(Math.max(open, Math.min(end, System.nanoTime())));
    long stoppedAt = System.nanoTime();
    atEndOfSending.accept(stoppedAt);
    boolean answered = Waits.until(() -> outstanding.get() == 0, config.drainTimeout());
    long remaining = Math.max(0, config.drainTimeout().toNanos() - (System.nanoTime() - stoppedAt));
    boolean delivered =
        answered
            && Waits.until(
                () -> deliveries.surfaced() >= sentTotal.sum(), Duration.ofNanos(remaining));
    double drainSeconds = (System.nanoTime() - stoppedAt) / 1e9;
    if (!answered || !delivered) {
      log.warn(
          "drain incomplete after {} s: {} sends unanswered, {} of {} SENT messages surfaced",
          String.format("%.1f", drainSeconds),
          outstanding.get(),
          deliveries.surfaced(),
          sentTotal.sum());
    }
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
    return new ChatLoadResult(
        window.seconds(),
        sentInWindow.sum(),
        deliveries.surfacedInWindow(),
        sentTotal.sum(),
        deliveries.surfaced(),
        LatencySummary.of(sentLatency.getIntervalHistogram()),
        LatencySummary.of(deliveries.endToEnd()),
        LatencySummary.of(deliveries.endToEndFromActualSend()),
        errorCounts,
        givenUp.sum(),
        answered && delivered,
        drainSeconds);
  }

  /** Ends the sending early (from another thread); {@link #run} then drains as usual. */
  public void stop() {
    stopRequested = true;
  }

  /** Issues message k at start + k/rate, round robin over the senders, until {@code end}. */
  private void pace(long start, long end) {
    double intervalNanos = 1e9 / config.ratePerSecond();
    long k = 0;
    while (true) {
      long due = start + (long) (k * intervalNanos);
      if (due >= end || stopRequested) {
        return;
      }
      long now = System.nanoTime();
      if (now < due) {
        Waits.parkUntil(due);
        continue;
      }
      if (outstanding.get() >= MAX_OUTSTANDING) {
        Waits.parkUntil(now + 100_000); // the schedule runs on: the delay counts as latency
        continue;
      }
      sendNew(routes.get((int) (k % routes.size())), due);
      k++;
    }
  }

  private void sendNew(Route route, long intendedNanos) {
    long now = System.nanoTime();
    ChatMsg msg =
        ChatMsg.newBuilder()
            .setClientMsgId(idPrefix + idCounter.incrementAndGet())
            .setDestId(route.toUserId())
            .setConversationType(ConversationType.SINGLE)
            .setContentType(ContentType.TEXT)
            .setMsgBody(Payload.body(intendedNanos, now, config.payloadBytes()))
            .build();
    outstanding.incrementAndGet();
    attempt(route, msg, config.fixedRate() ? intendedNanos : now, 1);
  }

  private void attempt(Route route, ChatMsg msg, long measuredFrom, int attempt) {
    route
        .client()
        .send(msg)
        .whenComplete(
            (ack, failure) -> {
              if (failure == null) {
                onSent(route, msg, ack, measuredFrom);
              } else {
                onFailed(route, msg, measuredFrom, attempt, failure);
              }
            });
  }

  private void onSent(Route route, ChatMsg msg, AckMsg ack, long measuredFrom) {
    long now = System.nanoTime();
    checker.sent(
        msg.getClientMsgId(),
        ack.getAckMsgId(),
        ack.getConversationId(),
        ack.getSeq(),
        route.toUserId());
    sentTotal.increment();
    // Throughput counts receipts that arrived in the window, as delivered_per_s counts
    // deliveries; counting by send time would report an overloaded system's offered rate.
    if (window.contains(now)) {
      sentInWindow.increment();
    }
    if (window.contains(measuredFrom)) {
      sentLatency.recordValue(Deliveries.micros(now - measuredFrom));
    }
    outstanding.decrementAndGet();
    if (!config.fixedRate() && phase == Phase.RUNNING) {
      sendNew(route, now);
    }
  }

  private void onFailed(
      Route route, ChatMsg msg, long measuredFrom, int attempt, Throwable failure) {
    Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
    String key =
        cause instanceof ServerErrorException s
            ? s.code().name()
            : cause.getClass().getSimpleName();
    errors.computeIfAbsent(key, k -> new LongAdder()).increment();
    if (attempt < config.maxAttempts() && route.client().isConnected()) {
      attempt(route, msg, measuredFrom, attempt + 1);
      return;
    }
    givenUp.increment();
    outstanding.decrementAndGet();
    // A disconnected sender's slot stays empty: refilling it would only spin on failures.
    if (!config.fixedRate() && phase == Phase.RUNNING && route.client().isConnected()) {
      sendNew(route, System.nanoTime());
    }
  }
}
