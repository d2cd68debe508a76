package dev.switchboard.connector.route;

import dev.switchboard.connector.session.Frames;
import dev.switchboard.connector.session.Session;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.internal.SendChatResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one session's chat messages to transfer in the order the client sent them, as groups:
 * everything that arrived while the previous group was out leaves together in one call, which
 * transfer sequences in its order ({@link MessageForwarder#sendChats}). Sending separate calls
 * concurrently could let transfer sequence a later message before an earlier one of the same
 * conversation; sending one message at a time, as this class once did, held a session to one
 * message per transfer round trip (about 100 a second), and a client with a window of messages in
 * flight waited the whole window's round trips for each. Answers go back in the order of the
 * messages. Messages waiting are bounded; past the bound the client gets Error{RATE_LIMITED} for
 * that message.
 *
 * <p>Confined to the session's event loop: {@link #submit} is called there, and transfer's answers
 * are brought back there (through a queue) before the state is touched, so no locks are needed.
 */
public final class OrderedChatForwarder {
  private static final Logger log = LoggerFactory.getLogger(OrderedChatForwarder.class);

  /** Messages per group at most: a window's worth, small against a batch call's size. */
  public static final int MAX_GROUP = 64;

  private final Session session;
  private final MessageForwarder forwarder;
  private final int capacity;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

  /** The group out at transfer: its answers so far, written in order as they complete. */
  private Pending[] group = new Pending[0];

  private Frame[] answers = new Frame[0];
  private int written;
  private int answered;

  private record Pending(long requestId, ChatMsg msg) {}

  private record Arrived(int index, SendChatResponse response, Throwable failure) {}

  /** Answers not yet taken in by the loop; filled by whichever thread completes a call. */
  private final Queue<Arrived> arrived = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  public OrderedChatForwarder(Session session, MessageForwarder forwarder, int capacity) {
    this.session = session;
    this.forwarder = forwarder;
    this.capacity = capacity;
  }

  /** Queues a message whose sender fields are already the session's. */
  public void submit(long requestId, ChatMsg msg) {
    if (waiting.size() >= capacity) {
      session.write(
          Frames.error(
              ErrorCode.RATE_LIMITED,
              "too many messages waiting to be sent; slow down",
              requestId,
              msg.getClientMsgId()));
      return;
    }
    waiting.add(new Pending(requestId, msg));
    if (!inFlight()) {
      sendNext();
    }
  }

  private boolean inFlight() {
    return answered < group.length;
  }

  private void sendNext() {
    if (waiting.isEmpty()) {
      return;
    }
    if (!session.isOpen()) {
      // The client is gone; it will resend what it has no SENT for (same client_msg_id).
      waiting.clear();
      return;
    }
    int size = Math.min(waiting.size(), MAX_GROUP);
    Pending[] next = new Pending[size];
    List<ChatMsg> msgs = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      next[i] = waiting.poll();
      msgs.add(next[i].msg());
    }
    group = next;
    answers = new Frame[size];
    written = 0;
    answered = 0;
    List<CompletableFuture<SendChatResponse>> calls;
    try {
      calls = forwarder.sendChats(msgs);
    } catch (RuntimeException e) {
      calls = Collections.nCopies(size, CompletableFuture.failedFuture(e));
    }
    for (int i = 0; i < size; i++) {
      int index = i;
      calls.get(i).whenComplete((response, failure) -> arrived(index, response, failure));
    }
  }

  /**
   * On the thread that completed the call (a gRPC thread, or this loop if it failed at once):
   * queues the answer and, unless a drain is already due, schedules one. The answers of a group
   * come in bursts, so a burst costs one task on the loop rather than one per answer.
   */
  private void arrived(int index, SendChatResponse response, Throwable failure) {
    arrived.add(new Arrived(index, response, failure));
    if (drainScheduled.compareAndSet(false, true)) {
      session.channel().eventLoop().execute(this::drainArrived);
    }
  }

  private void drainArrived() {
    drainScheduled.set(false);
    Arrived next;
    while ((next = arrived.poll()) != null) {
      onAnswer(next.index(), next.response(), next.failure());
    }
  }

  /** A group is replaced only once all of it was answered, so {@code index} is always its own. */
  private void onAnswer(int index, SendChatResponse response, Throwable failure) {
    answers[index] = answer(group[index], response, failure);
    answered++;
    while (written < answers.length && answers[written] != null) {
      session.write(answers[written++]);
    }
    if (!inFlight()) {
      sendNext();
    }
  }

  private Frame answer(Pending pending, SendChatResponse response, Throwable failure) {
    long requestId = pending.requestId();
    String clientMsgId = pending.msg().getClientMsgId();
    if (failure != null) {
      log.warn(
          "sending message user={} client_msg_id={} failed unexpectedly: {}",
          session.userId(),
          clientMsgId,
          RetryingCall.unwrap(failure).toString());
      return Frames.error(
          ErrorCode.INTERNAL,
          "the message could not be sent; retry with the same client_msg_id",
          requestId,
          clientMsgId);
    }
    if (response.hasSent()) {
      return Frame.newBuilder().setRequestId(requestId).setAckMsg(response.getSent()).build();
    }
    if (response.hasError()) {
      dev.switchboard.proto.Error error = response.getError();
      if (error.getClientMsgId().isEmpty()) {
        error = error.toBuilder().setClientMsgId(clientMsgId).build();
      }
      return Frames.error(error, requestId);
    }
    return Frames.error(
        ErrorCode.INTERNAL,
        "transfer gave no answer; retry with the same client_msg_id",
        requestId,
        clientMsgId);
  }
}
