package dev.switchboard.transfer.message;

import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.switchboard.common.concurrent.Futures;
import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.MessageEvent;
import dev.switchboard.transfer.db.StoreUnavailableException;
import dev.switchboard.transfer.log.MessageLog;
import dev.switchboard.transfer.ops.TransferMetrics;
import dev.switchboard.transfer.outbox.PublishedMarker;
import dev.switchboard.transfer.route.PushDispatcher;
import dev.switchboard.transfer.route.PushPlanner;
import dev.switchboard.transfer.sequence.AcceptBatcher;
import dev.switchboard.transfer.sequence.Acceptance;
import dev.switchboard.transfer.sequence.MessageStore;
import dev.switchboard.transfer.users.UserDirectory;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat message from a connector: validate, answer a resend from its original, check the
 * destination, apply the message policy (friends, blocks), sequence, make durable, push, answer
 * SENT. The steps are in this order because each promise depends on the one before:
 *
 * <ul>
 *   <li>A resend (same sender and client_msg_id) gets its original SENT: the sequencing batch looks
 *       it up in the same transaction that would accept it, and a refusal is only answered after
 *       checking that the message was not accepted before, so a resend is answered from its
 *       original even if the relation changed since (an accepted message is never "un-accepted").
 *   <li>A refused message takes no seq and never reaches Kafka; neither does one whose caller gave
 *       up before its seq was taken.
 *   <li>SENT means "the broker acknowledged it". The seq is committed before the append, together
 *       with an outbox row: if the append is not confirmed (UNAVAILABLE is answered) or this
 *       instance dies before the acknowledgement, a republisher produces the message anyway, so a
 *       committed seq always reaches the log, with its final id and seq.
 * </ul>
 */
public final class ChatIntake {
  private static final Logger log = LoggerFactory.getLogger(ChatIntake.class);

  /** Left of the caller's deadline for our answer to travel back. */
  private static final long ANSWER_HEADROOM_NANOS = 200_000_000L;

  private final ChatValidator validator = new ChatValidator();
  private final UserDirectory users;
  private final PolicyCheck policy;
  private final MessageStore store;
  private final AcceptBatcher sequencer;
  private final MessageLog messageLog;
  private final PublishedMarker marker;
  private final PushDispatcher push;
  private final TransferMetrics metrics;
  private final Clock clock;
  private final IntakeHook hook;
  private final RateLimitedLog outages = new RateLimitedLog(log, 10_000);

  public ChatIntake(
      UserDirectory users,
      PolicyCheck policy,
      MessageStore store,
      AcceptBatcher sequencer,
      MessageLog messageLog,
      PublishedMarker marker,
      PushDispatcher push,
      TransferMetrics metrics,
      Clock clock,
      IntakeHook hook) {
    this.users = users;
    this.policy = policy;
    this.store = store;
    this.sequencer = sequencer;
    this.messageLog = messageLog;
    this.marker = marker;
    this.push = push;
    this.metrics = metrics;
    this.clock = clock;
    this.hook = hook;
  }

  /**
   * Takes the message through every step without holding the calling thread while MySQL or Kafka
   * work: the checks run on the caller's thread, the Kafka append on the sequencing lane's thread
   * once the batch committed, and the answer is produced on Kafka's I/O thread when the broker
   * acknowledged. Under load a thread parked per message and woken twice (sequenced, acknowledged)
   * cost more CPU in context switches than the message's own work.
   *
   * @param caller who waits for the answer; nothing is sequenced once it is gone
   * @return the outcome; fails with {@link dev.switchboard.transfer.ids.IdUnavailableException} if
   *     no id can be issued (INTERNAL), {@link dev.switchboard.transfer.db.StoreFailureException}
   *     on unexpected database errors, or whatever else went wrong unexpectedly
   */
  public CompletableFuture<ChatOutcome> send(ChatMsg msg, Caller caller) {
    ChatValidator.Checked checked = validator.check(msg);
    if (checked.refusal() != null) {
      return completedFuture(refused(checked.refusal()));
    }
    if (caller.gone()) {
      return completedFuture(abandoned());
    }
    ChatMsg normalized = checked.message();
    CompletableFuture<Optional<Acceptance>> sequenced;
    try {
      Optional<Refusal> refusal = destinationOrPolicyRefusal(normalized);
      if (refusal.isPresent()) {
        Optional<Acceptance> original =
            store.findBySender(normalized.getFromId(), normalized.getClientMsgId());
        return original.isPresent()
            ? confirm(original.get(), caller)
            : completedFuture(refused(refusal.get()));
      }
      // The last moment to notice that nobody waits any more: after it a seq is taken for good.
      // The batch checks again when it forms.
      if (caller.gone()) {
        return completedFuture(abandoned());
      }
      sequenced = sequencer.submit(normalized, clock.millis(), caller::gone);
    } catch (StoreUnavailableException e) {
      return completedFuture(databaseUnavailable(e));
    }
    return sequenced
        .handle(
            (accepted, failure) -> {
              if (failure == null) {
                return accepted.isEmpty()
                    ? completedFuture(abandoned())
                    : committed(accepted.get(), caller);
              }
              Throwable cause = Futures.unwrap(failure);
              if (cause instanceof StoreUnavailableException unavailable) {
                return completedFuture(databaseUnavailable(unavailable));
              }
              return CompletableFuture.<ChatOutcome>failedFuture(cause);
            })
        .thenCompose(outcome -> outcome);
  }

  private CompletableFuture<ChatOutcome> committed(Acceptance acceptance, Caller caller) {
    if (!acceptance.duplicate()) {
      hook.afterCommit(acceptance.message());
    }
    return confirm(acceptance, caller);
  }

  private Optional<Refusal> destinationOrPolicyRefusal(ChatMsg normalized) {
    if (!users.exists(normalized.getDestId())) {
      return Optional.of(Refusal.unknownDestination(normalized.getDestId()));
    }
    return policy.checkChat(normalized.getFromId(), normalized.getDestId());
  }

  /** Makes sure the accepted message is in Kafka, then pushes it and answers SENT. */
  private CompletableFuture<ChatOutcome> confirm(Acceptance acceptance, Caller caller) {
    ChatMsg accepted = acceptance.message();
    // A duplicate whose first append is unconfirmed is produced again too (consumers drop a
    // record whose id they already have); one known to be in Kafka is not.
    if (acceptance.published()) {
      return completedFuture(sent(acceptance));
    }
    long started = System.nanoTime();
    long callerLeft = caller.nanosLeft();
    CompletableFuture<RecordMetadata> acked =
        messageLog.send(accepted.getConversationId(), chatEvent(accepted));
    // Counted on the acknowledgement itself, so one that arrives after we stopped waiting still
    // counts; the batch's outbox row goes with the last of its messages.
    acceptance
        .outbox()
        .ifPresent(
            row ->
                acked.thenRun(
                    () -> {
                      if (row.confirmOne()) {
                        marker.published(row.id());
                      }
                    }));
    // The producer completes every send within maxWait; only a caller due back sooner needs a
    // timer of its own (not the usual case: no timer task per message).
    CompletableFuture<RecordMetadata> answered = acked;
    if (callerLeft != Long.MAX_VALUE
        && callerLeft - ANSWER_HEADROOM_NANOS < messageLog.maxWait().toNanos()) {
      long left = Math.max(0, callerLeft - ANSWER_HEADROOM_NANOS - (System.nanoTime() - started));
      answered = acked.copy().orTimeout(left, TimeUnit.NANOSECONDS);
    }
    return answered.handle(
        (metadata, failure) -> {
          if (failure == null) {
            return sent(acceptance);
          }
          metrics.kafkaFailure();
          outages.warn(
              "message {} ({} seq {}) not acknowledged by Kafka yet, left to the outbox: {}",
              accepted.getId(),
              accepted.getConversationId(),
              accepted.getSeq(),
              Futures.unwrap(failure).toString());
          return refused(Refusal.unavailable(Refusal.NOT_CONFIRMED));
        });
  }

  /** Runs on Kafka's I/O thread (or the caller's, for a message known to be in Kafka). */
  private ChatOutcome sent(Acceptance acceptance) {
    ChatMsg accepted = acceptance.message();
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

  private ChatOutcome databaseUnavailable(StoreUnavailableException e) {
    outages.warn("database unavailable: {}", e.getMessage());
    return refused(Refusal.unavailable(Refusal.NOT_CONFIRMED));
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

  private ChatOutcome abandoned() {
    metrics.abandoned();
    return new ChatOutcome.Abandoned();
  }
}
