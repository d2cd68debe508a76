package dev.switchboard.connector.route;

import dev.switchboard.connector.session.Frames;
import dev.switchboard.connector.session.Session;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.internal.SendChatResponse;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one session's chat messages to transfer one at a time, in the order the client sent
 * them: the next is sent only when the previous one was answered. Sending them concurrently could
 * let transfer sequence a later message before an earlier one of the same conversation. Messages
 * waiting are bounded; past the bound the client gets Error{RATE_LIMITED} for that message.
 *
 * <p>Confined to the session's event loop: {@link #submit} is called there, and transfer's answers
 * are brought back there before the state is touched, so no locks are needed.
 */
public final class OrderedChatForwarder {
  private static final Logger log = LoggerFactory.getLogger(OrderedChatForwarder.class);

  private final Session session;
  private final MessageForwarder forwarder;
  private final int capacity;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private boolean inFlight;

  private record Pending(long requestId, ChatMsg msg) {}

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
    if (!inFlight) {
      sendNext();
    }
  }

  /** Messages not yet answered, including the one in flight. */
  public int pending() {
    return waiting.size() + (inFlight ? 1 : 0);
  }

  private void sendNext() {
    Pending next = waiting.poll();
    if (next == null) {
      return;
    }
    if (!session.isOpen()) {
      // The client is gone; it will resend what it has no SENT for (same client_msg_id).
      waiting.clear();
      return;
    }
    inFlight = true;
    CompletableFuture<SendChatResponse> call;
    try {
      call = forwarder.sendChat(next.msg());
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenCompleteAsync(
        (response, failure) -> {
          inFlight = false;
          session.write(answer(next, response, failure));
          sendNext();
        },
        session.channel().eventLoop());
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
