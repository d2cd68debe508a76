package dev.switchboard.connector.net;

import dev.switchboard.connector.route.MessageForwarder;
import dev.switchboard.connector.route.OrderedChatForwarder;
import dev.switchboard.connector.route.RetryingCall;
import dev.switchboard.connector.route.SessionSync;
import dev.switchboard.connector.session.Frames;
import dev.switchboard.connector.session.Session;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.SendAckResponse;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a logged-in connection: answers Pings, forwards chat messages (in order, see {@link
 * OrderedChatForwarder}) and receipts to transfer with the sender taken from the session, never
 * from the frame, and serves SyncReqs and delivery watermarks through {@link SessionSync}.
 */
public final class SessionHandler extends SimpleChannelInboundHandler<Frame> {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

  private final Session session;
  private final MessageForwarder forwarder;
  private final OrderedChatForwarder chats;
  private final SessionSync sync;

  public SessionHandler(
      Session session, MessageForwarder forwarder, OrderedChatForwarder chats, SessionSync sync) {
    this.session = session;
    this.forwarder = forwarder;
    this.chats = chats;
    this.sync = sync;
  }

  public Session session() {
    return session;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    long requestId = frame.getRequestId();
    switch (frame.getBodyCase()) {
      case PING -> session.write(Frames.pong(frame.getPing().getTimeMs(), requestId));
      case PONG -> {
        // the answer to a server Ping; reading it already reset the idle timer
      }
      case CHAT_MSG -> chats.submit(requestId, fromSession(frame.getChatMsg()));
      case ACK_MSG -> forwardAck(ctx, requestId, frame.getAckMsg());
      case SYNC_REQ -> sync.request(requestId, frame.getSyncReq());
      case LOGIN_REQ ->
          session.write(
              Frames.error(
                  ErrorCode.ALREADY_LOGGED_IN, "this connection is already logged in", requestId));
      default ->
          session.write(
              Frames.error(
                  ErrorCode.UNSUPPORTED,
                  "a client cannot send " + frame.getBodyCase().name().toLowerCase(Locale.ROOT),
                  requestId));
    }
  }

  /**
   * The sender is the session, whatever the client wrote; the fields the server assigns are cleared
   * so that nothing a client invents travels on.
   */
  private ChatMsg fromSession(ChatMsg msg) {
    return msg.toBuilder()
        .setFromId(session.userId())
        .setFromDeviceId(session.deviceId())
        .clearId()
        .clearSeq()
        .clearSentAtMs()
        .clearConversationId()
        .build();
  }

  /**
   * A receipt goes to transfer, which relays it to the sender (and logs it, so offline-store raises
   * the read mark on READ); a DELIVERED's watermark also moves this device's delivery cursor.
   */
  private void forwardAck(ChannelHandlerContext ctx, long requestId, AckMsg ack) {
    if (ack.getMsgType() != MsgType.DELIVERED && ack.getMsgType() != MsgType.READ) {
      session.write(
          Frames.error(
              ErrorCode.INVALID_MESSAGE,
              "clients send only DELIVERED and READ receipts",
              requestId));
      return;
    }
    AckMsg fromSession =
        ack.toBuilder().setFromId(session.userId()).clearId().clearSentAtMs().build();
    CompletableFuture<SendAckResponse> call;
    try {
      call = forwarder.sendAck(fromSession, session.deviceId());
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    sync.delivered(fromSession);
    call.whenCompleteAsync(
        (response, failure) -> {
          if (failure != null) {
            log.warn(
                "forwarding a receipt of user={} failed unexpectedly: {}",
                session.userId(),
                RetryingCall.unwrap(failure).toString());
            session.write(
                Frames.error(ErrorCode.INTERNAL, "the receipt could not be sent", requestId));
          } else if (response.hasError()) {
            session.write(Frames.error(response.getError(), requestId));
          }
        },
        ctx.executor());
  }
}
