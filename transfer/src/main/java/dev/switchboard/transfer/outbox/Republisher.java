package dev.switchboard.transfer.outbox;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.MessageEvent;
import dev.switchboard.transfer.log.MessageLog;
import dev.switchboard.transfer.log.MessageLogUnavailableException;
import dev.switchboard.transfer.ops.TransferMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes seq holes: re-produces accepted messages whose Kafka append was never confirmed (the
 * broker did not acknowledge in time, or the instance died between the commit and the
 * acknowledgement) even if the client never retries.
 *
 * <p>Every transfer instance runs one. Each pass claims outbox rows older than {@code minAge} (so a
 * send still in flight on its own instance is left alone), re-produces the identical record of each
 * message they name (key conversation id, value {@code MessageEvent{chat}}), and removes the rows
 * whose messages the broker all acknowledged. A row names a whole sequencing batch, so messages of
 * it that made it the first time are produced again too: harmless duplicates, see below. A claim
 * lasts {@code claimFor}: other instances skip the row meanwhile, so concurrent republishers do not
 * produce it again and again, and a republish that fails (broker still down) is tried again only
 * once the claim expired, never in a hot loop. Two instances may still produce one row twice (a
 * claim expiring while its producer is slow): harmless, consumers dedupe by message id.
 *
 * <p>Order: a republished seq N lands in the partition after seqs above N that made it the first
 * time; consumers sort by seq (readers wait for the gap to fill), which is why holes must be closed
 * rather than skipped.
 */
public final class Republisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Republisher.class);

  /** Batches per pass at most, so one pass stays short even with a large backlog. */
  private static final int MAX_BATCHES_PER_PASS = 20;

  private final OutboxTable table;
  private final MessageLog messageLog;
  private final TransferMetrics metrics;
  private final Clock clock;
  private final Duration minAge;
  private final Duration claimFor;
  private final int batchSize;
  private final RateLimitedLog failures = new RateLimitedLog(log, 30_000);
  private final ScheduledExecutorService scheduler;

  /**
   * @param minAge rows younger than this may still be in flight on their own instance: at least the
   *     message log's {@link MessageLog#maxWait()}
   * @param claimFor how long a claimed row is left to this republisher: at least the time it takes
   *     to produce one batch
   */
  public Republisher(
      OutboxTable table,
      MessageLog messageLog,
      TransferMetrics metrics,
      Clock clock,
      Duration minAge,
      Duration claimFor,
      int batchSize) {
    this.table = table;
    this.messageLog = messageLog;
    this.metrics = metrics;
    this.clock = clock;
    this.minAge = minAge;
    this.claimFor = claimFor;
    this.batchSize = batchSize;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "transfer-outbox-republisher");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Runs {@link #republishDue()} every {@code interval} until closed. */
  public void start(Duration interval) {
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::passQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void passQuietly() {
    try {
      int republished = republishDue();
      if (republished > 0) {
        log.info("republished {} messages whose first append was not confirmed", republished);
      }
    } catch (RuntimeException e) {
      failures.warn("republish pass failed: {}", e.toString());
    }
  }

  /**
   * One pass: claims due rows batch by batch, re-produces their messages and removes the rows whose
   * messages the broker all acknowledged.
   *
   * @return how many messages were re-produced and acknowledged
   * @throws dev.switchboard.transfer.db.StoreUnavailableException if the database is unreachable
   */
  public int republishDue() {
    int total = 0;
    for (int batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
      long now = clock.millis();
      List<OutboxTable.Claimed> claimed =
          table.claim(now - minAge.toMillis(), now, now + claimFor.toMillis(), batchSize);
      if (claimed.isEmpty()) {
        break;
      }
      List<Long> named = new ArrayList<>();
      claimed.forEach(row -> named.addAll(row.msgIds()));
      List<ChatMsg> messages = table.load(named);
      Set<Long> acknowledged = produce(messages);
      // A row goes once every message it names is in Kafka. One naming a message that is not
      // there cannot be produced; it goes too rather than being claimed forever.
      Set<Long> loaded = new HashSet<>();
      messages.forEach(m -> loaded.add(m.getId()));
      List<Long> done = new ArrayList<>();
      for (OutboxTable.Claimed row : claimed) {
        if (!row.readable()) {
          // Kept for an operator to look at: removing it would count its messages as published.
          failures.warn(
              "outbox row {} does not hold a list of message ids; left in place", row.id());
        } else if (row.msgIds().stream()
            .allMatch(id -> acknowledged.contains(id) || !loaded.contains(id))) {
          done.add(row.id());
        }
      }
      table.remove(done);
      total += acknowledged.size();
      metrics.republished(acknowledged.size());
      if (acknowledged.size() < messages.size() || named.size() < batchSize) {
        break;
      }
    }
    return total;
  }

  /** Produces the batch; returns the ids the broker acknowledged. */
  private Set<Long> produce(List<ChatMsg> messages) {
    long deadline = System.nanoTime() + messageLog.maxWait().toNanos();
    List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(messages.size());
    for (ChatMsg message : messages) {
      CompletableFuture<RecordMetadata> ack =
          messageLog.send(
              message.getConversationId(), MessageEvent.newBuilder().setChat(message).build());
      acks.add(ack);
      if (ack.isCompletedExceptionally()) {
        // send() itself failed (no metadata within max.block.ms): the broker is unreachable, and
        // each further send() would block as long again. The rest waits for the next claim.
        break;
      }
    }
    Set<Long> acknowledged = new HashSet<>();
    for (int i = 0; i < acks.size(); i++) {
      ChatMsg message = messages.get(i);
      try {
        MessageLog.await(acks.get(i), deadline);
        acknowledged.add(message.getId());
      } catch (MessageLogUnavailableException e) {
        failures.warn(
            "republish of message {} ({} seq {}) not acknowledged: {}",
            message.getId(),
            message.getConversationId(),
            message.getSeq(),
            e.getMessage());
      }
    }
    return acknowledged;
  }

  /** Stops the schedule; a pass in progress finishes within the bound. */
  public void close(Duration timeout) throws InterruptedException {
    scheduler.shutdown();
    if (!scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      scheduler.shutdownNow();
    }
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(5));
  }
}
