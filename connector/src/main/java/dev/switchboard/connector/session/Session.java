package dev.switchboard.connector.session;

import dev.switchboard.proto.Frame;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.internal.SessionRoute;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One logged-in connection: who (user, device), which token, and the channel. Immutable apart from
 * the registration future, so that gRPC threads (deliveries, kicks) and the channel's event loop
 * can share it without locks; all writes go through the channel, which orders them.
 */
public final class Session {
  private final String sessionId;
  private final long userId;
  private final String deviceId;
  private final String tokenId;
  private final String connectorId;
  private final Channel channel;
  private final CompletableFuture<Void> registration = new CompletableFuture<>();

  public Session(
      String sessionId,
      long userId,
      String deviceId,
      String tokenId,
      String connectorId,
      Channel channel) {
    this.sessionId = sessionId;
    this.userId = userId;
    this.deviceId = deviceId;
    this.tokenId = tokenId;
    this.connectorId = connectorId;
    this.channel = channel;
  }

  public String sessionId() {
    return sessionId;
  }

  public long userId() {
    return userId;
  }

  public String deviceId() {
    return deviceId;
  }

  public String tokenId() {
    return tokenId;
  }

  public Channel channel() {
    return channel;
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  /** The route user-status keeps for this session. */
  public SessionRoute route() {
    return SessionRoute.newBuilder()
        .setUserId(userId)
        .setDeviceId(deviceId)
        .setConnectorId(connectorId)
        .setSessionId(sessionId)
        .build();
  }

  public ChannelFuture write(Frame frame) {
    return channel.writeAndFlush(frame);
  }

  /** Tells the client why, then closes the connection. */
  public void kick(KickReason reason, String message) {
    channel.writeAndFlush(Frames.kick(reason, message)).addListener(ChannelFutureListener.CLOSE);
  }

  /**
   * Completes when the Online call for this session has finished (either way). Offline waits for
   * it, so that the two calls of one session never reach user-status in the wrong order.
   */
  public CompletionStage<Void> registration() {
    return registration;
  }

  public void registrationDone() {
    registration.complete(null);
  }

  @Override
  public String toString() {
    return "Session[user=" + userId + ", device=" + deviceId + ", id=" + sessionId + "]";
  }
}
