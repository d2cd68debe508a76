package dev.switchboard.bench.lean;

import dev.switchboard.client.net.FrameHandler;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginReq;
import dev.switchboard.proto.Pong;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One lean connection; every callback runs on its channel's event loop. */
public final class LeanConnection implements FrameHandler.Events {
  private final String token;
  private final String deviceId;
  private final LeanClient owner;
  private final CompletableFuture<LeanConnection> loggedIn = new CompletableFuture<>();
  private final long startedNanos = System.nanoTime();
  private volatile Channel channel;
  private volatile boolean closing;
  private long loggedInNanos;
  private ScheduledFuture<?> heartbeat;
  private volatile ScheduledFuture<?> loginTimer; // set by the opening thread
  private String refusal;

  LeanConnection(String token, String deviceId, LeanClient owner) {
    this.token = token;
    this.deviceId = deviceId;
    this.owner = owner;
  }

  void attach(Channel channel) {
    this.channel = channel;
  }

  CompletableFuture<LeanConnection> loggedIn() {
    return loggedIn;
  }

  /** From the connect call to the LoginResp. */
  public long loginNanos() {
    return loggedInNanos - startedNanos;
  }

  public long loggedInAtNanos() {
    return loggedInNanos;
  }

  public boolean isOpen() {
    Channel c = channel;
    return c != null && c.isActive();
  }

  /** Closes without counting as dropped. */
  public void close() {
    closing = true;
    Channel c = channel;
    if (c != null) {
      c.close();
    }
  }

  void failConnect(Throwable cause) {
    loggedIn.completeExceptionally(cause);
  }

  void armLoginTimeout(EventLoop loop, Duration timeout) {
    loginTimer =
        loop.schedule(
            () -> {
              if (loggedIn.completeExceptionally(
                  new TimeoutException("no LoginResp within " + timeout.toMillis() + " ms"))) {
                close();
              }
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  public void onActive() {
    channel.writeAndFlush(
        Frame.newBuilder()
            .setRequestId(1)
            .setLoginReq(LoginReq.newBuilder().setToken(token).setDeviceId(deviceId))
            .build());
  }

  @Override
  public void onFrame(Frame frame) {
    switch (frame.getBodyCase()) {
      case LOGIN_RESP -> {
        if (!frame.getLoginResp().getOk()) {
          refusal = frame.getLoginResp().getError();
          return;
        }
        loggedInNanos = System.nanoTime();
        ScheduledFuture<?> timer = loginTimer;
        if (timer != null) {
          timer.cancel(false);
        }
        long intervalMs = Math.max(1, frame.getLoginResp().getHeartbeatIntervalSeconds()) * 1000L;
        heartbeat =
            channel
                .eventLoop()
                .scheduleAtFixedRate(
                    this::ping,
                    ThreadLocalRandom.current().nextLong(intervalMs),
                    intervalMs,
                    TimeUnit.MILLISECONDS);
        loggedIn.complete(this);
      }
      case PING ->
          channel.writeAndFlush(
              Frame.newBuilder()
                  .setRequestId(frame.getRequestId())
                  .setPong(Pong.newBuilder().setTimeMs(frame.getPing().getTimeMs()))
                  .build());
      case ERROR -> {
        if (!loggedIn.isDone()) {
          loggedIn.completeExceptionally(
              new IllegalStateException(
                  "login refused: "
                      + frame.getError().getCode()
                      + " "
                      + (refusal != null ? refusal : frame.getError().getMessage())));
        }
      }
      default -> {} // sync pages, notices: an idle device has nothing to do with them
    }
  }

  private void ping() {
    owner.onPing();
    channel.writeAndFlush(LeanClient.PING);
  }

  @Override
  public void onReadIdle() {}

  @Override
  public void onFailure(Throwable cause) {}

  @Override
  public void onInactive() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
    }
    ScheduledFuture<?> timer = loginTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    if (loggedIn.isDone() && !loggedIn.isCompletedExceptionally() && !closing) {
      owner.onDropped();
    }
    loggedIn.completeExceptionally(new IllegalStateException("connection closed before login"));
  }
}
