package dev.switchboard.transfer.message;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.internal.MessageEvent;
import dev.switchboard.transfer.db.StoreUnavailableException;
import dev.switchboard.transfer.ids.IdIssuer;
import dev.switchboard.transfer.log.MessageLog;
import dev.switchboard.transfer.log.MessageLogUnavailableException;
import dev.switchboard.transfer.ops.RateLimitedLog;
import dev.switchboard.transfer.ops.TransferMetrics;
import dev.switchboard.transfer.route.PushDispatcher;
import dev.switchboard.transfer.route.Recipient;
import dev.switchboard.transfer.users.UserDirectory;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DELIVERED or READ receipt from a recipient: made durable like a message (so an offline sender
 * gets it at its next sync), then pushed to every device of the original sender. Receipts between
 * users of whom one blocked the other are refused (BLOCKED) and go nowhere.
 *
 * <p>Receipts need no idempotency table: applying one twice is harmless (cursors only move forward,
 * consumers dedupe by receipt id where they care).
 */
public final class ReceiptRelay {
  private static final Logger log = LoggerFactory.getLogger(ReceiptRelay.class);

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
   * @return empty if the receipt was accepted, otherwise why not
   */
  public Optional<Refusal> relay(AckMsg ack) {
    Optional<Refusal> invalid = validator.check(ack);
    if (invalid.isPresent()) {
      return refused(invalid.get());
    }
    try {
      if (!users.exists(ack.getDestId())) {
        return refused(Refusal.unknownDestination(ack.getDestId()));
      }
      Optional<Refusal> forbidden = policy.checkReceipt(ack.getFromId(), ack.getDestId());
      if (forbidden.isPresent()) {
        return refused(forbidden.get());
      }
    } catch (StoreUnavailableException e) {
      return refused(Refusal.unavailable("receipt not stored, retry"));
    }
    AckMsg receipt = ack.toBuilder().setId(ids.nextId()).setSentAtMs(clock.millis()).build();
    try {
      messageLog.append(
          receipt.getConversationId(), MessageEvent.newBuilder().setAck(receipt).build());
    } catch (MessageLogUnavailableException e) {
      metrics.kafkaFailure();
      outages.warn(
          "receipt {} for message {} not acknowledged by Kafka: {}",
          receipt.getId(),
          receipt.getAckMsgId(),
          e.getMessage());
      return refused(Refusal.unavailable("receipt not stored, retry"));
    }
    metrics.receipt();
    push.push(
        receipt.getConversationId(),
        List.of(Recipient.allDevices(receipt.getDestId())),
        Frame.newBuilder().setAckMsg(receipt).build());
    return Optional.empty();
  }

  private Optional<Refusal> refused(Refusal refusal) {
    metrics.refused(refusal.code());
    return Optional.of(refusal);
  }
}
