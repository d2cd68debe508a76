package dev.switchboard.transfer.message;

import static java.util.concurrent.CompletableFuture.completedFuture;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.MessageEvent;
import dev.switchboard.transfer.db.StoreUnavailableException;
import dev.switchboard.transfer.ids.IdIssuer;
import dev.switchboard.transfer.log.MessageLog;
import dev.switchboard.transfer.ops.TransferMetrics;
import dev.switchboard.transfer.route.PushDispatcher;
import dev.switchboard.transfer.route.Recipient;
import dev.switchboard.transfer.users.UserDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DELIVERED or READ receipt from a recipient: made durable like a message (so an offline sender
 * gets it at its next sync), then pushed to every device of the original sender. Receipts between
 * users of whom one blocked the other are refused (BLOCKED) and go nowhere.
 *
 * <p>Receipts need no idempotency table: applying one twice is harmless (cursors only move forward,
 * consumers dedupe by receipt id where they care). A retried SendAck (the connector did not get our
 * answer) would still store a second receipt with a new id, so each instance remembers the receipts
 * it relayed during the last {@link #RECENT_WINDOW} (at most {@value #RECENT_MAX}) and answers a
 * repeat as done without storing it again. Best effort by design: a retry that reaches another
 * instance, or arrives after the window, is stored twice; offline-store dedupes durable duplicates.
 */
public final class ReceiptRelay {
  private static final Logger log = LoggerFactory.getLogger(ReceiptRelay.class);

  /** Connector retries happen within seconds; this covers them with room to spare. */
  static final Duration RECENT_WINDOW = Duration.ofSeconds(60);

  static final int RECENT_MAX = 100_000;

  /**
   * What makes two receipts the same: a retry repeats every field; a new watermark or read position
   * is a new receipt.
   */
  private record ReceiptKey(
      long fromId, long ackMsgId, MsgType msgType, long seq, long deliveredThroughSeq) {
    static ReceiptKey of(AckMsg ack) {
      return new ReceiptKey(
          ack.getFromId(),
          ack.getAckMsgId(),
          ack.getMsgType(),
          ack.getSeq(),
          ack.getDeliveredThroughSeq());
    }
  }

  private final Cache<ReceiptKey, Boolean> recent =
      Caffeine.newBuilder().maximumSize(RECENT_MAX).expireAfterWrite(RECENT_WINDOW).build();

  private final AckValidator validator = new AckValidator();
  private final UserDirectory users;
  private final PolicyCheck policy;
  private final IdIssuer ids;
  private final MessageLog messageLog;
  private final PushDispatcher push;
  private final TransferMetrics metrics;
  private final Clock clock;
  private final RateLimitedLog outages = new RateLimitedLog(log, 10_000);

  public ReceiptRelay(
      UserDirectory users,
      PolicyCheck policy,
      IdIssuer ids,
      MessageLog messageLog,
      PushDispatcher push,
      TransferMetrics metrics,
      Clock clock) {
    this.users = users;
    this.policy = policy;
    this.ids = ids;
    this.messageLog = messageLog;
    this.push = push;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Checks the receipt on the calling thread, then appends it without waiting: the answer is
   * produced on Kafka's I/O thread when the broker acknowledged it (see {@link ChatIntake#send}).
   *
   * @return empty if the receipt was accepted, otherwise why not
   */
  public CompletableFuture<Optional<Refusal>> relay(AckMsg ack) {
    Optional<Refusal> invalid = validator.check(ack);
    if (invalid.isPresent()) {
      return completedFuture(refused(invalid.get()));
    }
    try {
      if (!users.exists(ack.getDestId())) {
        return completedFuture(refused(Refusal.unknownDestination(ack.getDestId())));
      }
      Optional<Refusal> forbidden = policy.checkReceipt(ack.getFromId(), ack.getDestId());
      if (forbidden.isPresent()) {
        return completedFuture(refused(forbidden.get()));
      }
    } catch (StoreUnavailableException e) {
      return completedFuture(refused(Refusal.unavailable(Refusal.RECEIPT_NOT_CONFIRMED)));
    }
    ReceiptKey key = ReceiptKey.of(ack);
    if (recent.getIfPresent(key) != null) {
      metrics.receiptDuplicate();
      return completedFuture(Optional.empty());
    }
    AckMsg receipt = ack.toBuilder().setId(ids.nextId()).setSentAtMs(clock.millis()).build();
    // The producer completes every send within MessageLog#maxWait, so no timeout of our own.
    return messageLog
        .send(receipt.getConversationId(), MessageEvent.newBuilder().setAck(receipt).build())
        .handle(
            (metadata, failure) -> {
              if (failure != null) {
                metrics.kafkaFailure();
                outages.warn(
                    "receipt {} for message {} not acknowledged by Kafka: {}",
                    receipt.getId(),
                    receipt.getAckMsgId(),
                    failure.toString());
                return refused(Refusal.unavailable(Refusal.RECEIPT_NOT_CONFIRMED));
              }
              // Only once it is durable: a retry after a failure must be stored.
              recent.put(key, Boolean.TRUE);
              metrics.receipt();
              push.push(
                  receipt.getConversationId(),
                  List.of(Recipient.allDevices(receipt.getDestId())),
                  Frame.newBuilder().setAckMsg(receipt).build());
              return Optional.<Refusal>empty();
            });
  }

  private Optional<Refusal> refused(Refusal refusal) {
    metrics.refused(refusal.code());
    return Optional.of(refusal);
  }
}
