package dev.switchboard.bench.relay;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.Pong;
import dev.switchboard.proto.SyncResp;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * One relay connection. The token of a LoginReq is {@code relay:<user id>} ({@link #token(long)}):
 * the relay checks nothing, which is part of what makes it a ceiling.
 */
final class RelayHandler extends SimpleChannelInboundHandler<Frame> {
  private static final String TOKEN_PREFIX = "relay:";

  private final RelayState state;
  private long userId; // 0 until logged in; this connection's event loop only

  RelayHandler(RelayState state) {
    this.state = state;
  }

  /** The token a client gives the relay to be {@code userId}. */
  static String token(long userId) {
    return TOKEN_PREFIX + userId;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    switch (frame.getBodyCase()) {
      case LOGIN_REQ -> login(ctx, frame);
      case PING ->
          ctx.writeAndFlush(
              Frame.newBuilder()
                  .setRequestId(frame.getRequestId())
                  .setPong(Pong.newBuilder().setTimeMs(frame.getPing().getTimeMs()))
                  .build());
      case CHAT_MSG -> relay(ctx, frame.getRequestId(), frame.getChatMsg());
      case ACK_MSG -> receipt(frame.getAckMsg());
      case SYNC_REQ ->
          ctx.writeAndFlush(
              Frame.newBuilder()
                  .setRequestId(frame.getRequestId())
                  .setSyncResp(SyncResp.getDefaultInstance())
                  .build());
      default -> {}
    }
  }

  private void login(ChannelHandlerContext ctx, Frame frame) {
    String token = frame.getLoginReq().getToken();
    userId = Long.parseLong(token.substring(TOKEN_PREFIX.length()));
    state.online(userId, ctx.channel());
    ctx.write(
        Frame.newBuilder()
            .setRequestId(frame.getRequestId())
            .setLoginResp(
                LoginResp.newBuilder()
                    .setOk(true)
                    .setUserId(userId)
                    .setServerTimeMs(System.currentTimeMillis())
                    .setHeartbeatIntervalSeconds(30)
                    .setConnectorId("relay"))
            .build());
    // The connector starts every session with a sync page; the SDK waits for one.
    ctx.writeAndFlush(Frame.newBuilder().setSyncResp(SyncResp.getDefaultInstance()).build());
  }

  private void relay(ChannelHandlerContext ctx, long requestId, ChatMsg in) {
    long dest = in.getDestId();
    String conversation = "s_" + Math.min(userId, dest) + "_" + Math.max(userId, dest);
    RelayState.Conversation c = state.conversation(conversation);
    long id = state.nextId();
    long now = System.currentTimeMillis();
    synchronized (c) {
      long seq = ++c.lastSeq;
      ChatMsg out =
          in.toBuilder()
              .setId(id)
              .setFromId(userId)
              .setConversationId(conversation)
              .setSeq(seq)
              .setSentAtMs(now)
              .build();
      ctx.writeAndFlush(
          Frame.newBuilder()
              .setRequestId(requestId)
              .setAckMsg(
                  AckMsg.newBuilder()
                      .setMsgType(MsgType.SENT)
                      .setAckMsgId(id)
                      .setClientMsgId(in.getClientMsgId())
                      .setConversationId(conversation)
                      .setSeq(seq)
                      .setSentAtMs(now))
              .build());
      Channel to = state.channelOf(dest);
      if (to != null) {
        to.writeAndFlush(Frame.newBuilder().setChatMsg(out).build());
      }
    }
  }

  private void receipt(AckMsg ack) {
    Channel to = state.channelOf(ack.getDestId());
    if (to != null) {
      to.writeAndFlush(
          Frame.newBuilder()
              .setAckMsg(ack.toBuilder().setId(state.nextId()).setFromId(userId))
              .build());
    }
  }
}
