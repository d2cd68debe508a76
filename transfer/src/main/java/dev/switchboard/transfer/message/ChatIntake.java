package dev.switchboard.transfer.message;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.MessageEvent;
import dev.switchboard.transfer.db.StoreUnavailableException;
import dev.switchboard.transfer.ids.IdIssuer;
import dev.switchboard.transfer.log.MessageLog;
import dev.switchboard.transfer.log.MessageLogUnavailableException;
import dev.switchboard.transfer.ops.RateLimitedLog;
import dev.switchboard.transfer.ops.TransferMetrics;
import dev.switchboard.transfer.route.PushDispatcher;
import dev.switchboard.transfer.route.PushPlanner;
import dev.switchboard.transfer.sequence.Acceptance;
import dev.switchboard.transfer.sequence.MessageStore;
import dev.switchboard.transfer.users.UserDirectory;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat message from a connector: validate, check the destination, apply the message policy
 * (friends, blocks), sequence (idempotently), make durable, push, answer SENT. The steps are in
 * this order because each promise depends on the one before: a refused message takes no seq and
 * never reaches Kafka, SENT means "in Kafka", and what is in Kafka always has its final id and seq.
 */
public final class ChatIntake {
  private static final Logger log = LoggerFactory.getLogger(ChatIntake.class);

  private final ChatValidator validator = new ChatValidator();
  private final UserDirectory users;
  private final PolicyCheck policy;
  private final MessageStore store;
  private final IdIssuer ids;
  private final MessageLog messageLog;
  private final PushDispatcher push;
  private final TransferMetrics metrics;
  private final Clock clock;
  private final RateLimitedLog outages = new RateLimitedLog(log, 10_000);

  public ChatIntake(
      UserDirectory users,
      PolicyCheck policy,
      MessageStore store,
      IdIssuer ids,
      MessageLog messageLog,
      PushDispatcher push,
      TransferMetrics metrics,
      Clock clock) {
    this.users = users;
    this.policy = policy;
    this.store = store;
    this.ids = ids;
    this.messageLog = messageLog;
    this.push = push;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * @throws dev.switchboard.transfer.ids.IdUnavailableException if no id can be issued (INTERNAL)
   * @throws dev.switchboard.transfer.db.StoreFailureException on unexpected database errors
   */
  public ChatOutcome send(ChatMsg msg) {
    ChatValidator.Checked checked = validator.check(msg);
    if (checked.refusal() != null) {
      return refused(checked.refusal());
    }
    ChatMsg normalized = checked.message();
    Acceptance acceptance;
    try {
      if (!users.exists(normalized.getDestId())) {
        return refused(Refusal.unknownDestination(normalized.getDestId()));
      }
      Optional<Refusal> forbidden =
          policy.checkChat(normalized.getFromId(), normalized.getDestId());
      if (forbidden.isPresent()) {
        return refused(forbidden.get());
      }
      acceptance = store.accept(normalized, ids.nextId(), clock.millis());
    } catch (StoreUnavailableException e) {
      outages.warn("database unavailable: {}", e.getMessage());
      return refused(Refusal.unavailable(Refusal.NOT_STORED));
    }
    ChatMsg accepted = acceptance.message();
    // A duplicate is produced again too: its first attempt may have failed after the commit, and
    // consumers drop a record whose id they already have.
    try {
      messageLog.append(accepted.getConversationId(), chatEvent(accepted));
    } catch (MessageLogUnavailableException e) {
      metrics.kafkaFailure();
      outages.warn(
          "message {} ({} seq {}) not acknowledged by Kafka: {}",
          accepted.getId(),
          accepted.getConversationId(),
          accepted.getSeq(),
          e.getMessage());
      return refused(Refusal.unavailable(Refusal.NOT_STORED));
    }
    if (acceptance.duplicate()) {
      metrics.duplicate();
    } else {
      metrics.accepted();
    }
    log.debug(
        "message {} from {} to {} accepted as {} seq {}{}",
        accepted.getClientMsgId(),
        accepted.getFromId(),
        accepted.getDestId(),
        accepted.getId(),
        accepted.getSeq(),
        acceptance.duplicate() ? " (duplicate)" : "");
    // Issued before SENT is answered, so this sender's next message is pushed after this one.
    push.push(
        accepted.getConversationId(),
        PushPlanner.chatRecipients(
            accepted.getFromId(), accepted.getFromDeviceId(), accepted.getDestId()),
        Frame.newBuilder().setChatMsg(accepted).build());
    return new ChatOutcome.Sent(sentReceipt(accepted));
  }

  static MessageEvent chatEvent(ChatMsg accepted) {
    return MessageEvent.newBuilder().setChat(accepted).build();
  }

  static AckMsg sentReceipt(ChatMsg accepted) {
    return AckMsg.newBuilder()
        .setMsgType(MsgType.SENT)
        .setAckMsgId(accepted.getId())
        .setClientMsgId(accepted.getClientMsgId())
        .setConversationId(accepted.getConversationId())
        .setSeq(accepted.getSeq())
        .setFromId(accepted.getFromId())
        .setDestId(accepted.getDestId())
        .setSentAtMs(accepted.getSentAtMs())
        .build();
  }

  private ChatOutcome refused(Refusal refusal) {
    metrics.refused(refusal.code());
    return new ChatOutcome.Refused(refusal);
  }
}
