package dev.switchboard.bench.load;

import dev.switchboard.bench.util.Waits;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exactly {@code total} messages over the routes, each sender keeping {@code window} in flight: the
 * fill for {@code offline-sync}. Retries reuse the client_msg_id; every SENT goes to the checker.
 */
public final class CountedSends {
  private final List<ChatLoad.Route> routes;
  private final DeliveryChecker checker;
  private final int payloadBytes;
  private final int maxAttempts;
  private final String idPrefix;
  private final AtomicLong issued = new AtomicLong();
  private final LongAdder sent = new LongAdder();
  private final LongAdder done = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private long total;

  public CountedSends(
      List<ChatLoad.Route> routes,
      DeliveryChecker checker,
      int payloadBytes,
      int maxAttempts,
      String idPrefix) {
    this.routes = List.copyOf(routes);
    this.checker = checker;
    this.payloadBytes = payloadBytes;
    this.maxAttempts = maxAttempts;
    this.idPrefix = idPrefix;
  }

  /**
   * Sends and waits until every message got SENT or ran out of attempts.
   *
   * @return how many got SENT
   */
  public long send(long total, int window, Duration timeout) {
    this.total = total;
    for (ChatLoad.Route r : routes) {
      for (int i = 0; i < window; i++) {
        next(r);
      }
    }
    Waits.until(() -> done.sum() >= total, timeout);
    return sent.sum();
  }

  public long failures() {
    return failures.sum();
  }

  private void next(ChatLoad.Route route) {
    long n = issued.incrementAndGet();
    if (n > total) {
      return;
    }
    long now = System.nanoTime();
    ChatMsg msg =
        ChatMsg.newBuilder()
            .setClientMsgId(idPrefix + n)
            .setDestId(route.toUserId())
            .setConversationType(ConversationType.SINGLE)
            .setContentType(ContentType.TEXT)
            .setMsgBody(Payload.body(now, now, payloadBytes))
            .build();
    attempt(route, msg, 1);
  }

  private void attempt(ChatLoad.Route route, ChatMsg msg, int attempt) {
    route
        .client()
        .send(msg)
        .whenComplete(
            (ack, failure) -> {
              if (failure == null) {
                checker.sent(
                    msg.getClientMsgId(),
                    ack.getAckMsgId(),
                    ack.getConversationId(),
                    ack.getSeq(),
                    route.toUserId());
                sent.increment();
              } else {
                failures.increment();
                if (attempt < maxAttempts) {
                  attempt(route, msg, attempt + 1);
                  return;
                }
              }
              done.increment();
              next(route);
            });
  }
}
