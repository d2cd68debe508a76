package dev.switchboard.client;

import dev.switchboard.client.net.ClientChannelInitializer;
import dev.switchboard.client.net.FrameHandler;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.LoginReq;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.Ping;
import dev.switchboard.proto.Pong;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a connector: connect, the login handshake, heartbeats, and telling the
 * {@link Owner} how it ended. Everything else (sends, receipts, ordering) belongs to the owner,
 * whose state outlives a connection — that is what makes a later reconnect a matter of opening a
 * new {@code Connection}.
 *
 * <p>Confined to the client's event loop: every method and callback runs there.
 */
final class Connection implements FrameHandler.Events {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  /** Default when the server's LoginResp leaves the interval at 0. */
  static final int DEFAULT_HEARTBEAT_SECONDS = 30;

  /** Silence from the server for this many heartbeat intervals ends the connection. */
  static final int MISSED_HEARTBEATS = 3;

  /** The owner's view of a connection; all calls on the event loop, each at most once per kind. */
  interface Owner {
    void onLoggedIn(Connection connection, LoginResp resp);

    /** The connection never got to a successful login; it is closed. */
    void onLoginFailed(Connection connection, Throwable cause);

    /** A frame after login that the connection does not handle itself. */
    void onFrame(Connection connection, Frame frame);

    /** A logged-in connection ended; {@code cause} is null if {@link #close()} ended it. */
    void onClosed(Connection connection, Throwable cause);
  }

  private enum State {
    CONNECTING,
    LOGGING_IN,
    READY,
    CLOSED
  }

  private final Owner owner;
  private final EventLoop loop;
  private final LoginSession session;
  private final String deviceId;
  private final String clientVersion;
  private final long loginRequestId;
  private final Duration loginTimeout;

  private State state = State.CONNECTING;
  private Channel channel;
  private ScheduledFuture<?> loginTimer;
  private ScheduledFuture<?> heartbeat;
  private String loginRefusal; // LoginResp.error, waiting for the Error frame with the code
  private Throwable closeCause; // why the server side ended it, if known
  private boolean closedByOwner;
  private int heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;

  Connection(
      Owner owner,
      EventLoop loop,
      LoginSession session,
      String deviceId,
      String clientVersion,
      long loginRequestId,
      Duration loginTimeout) {
    this.owner = owner;
    this.loop = loop;
    this.session = session;
    this.deviceId = deviceId;
    this.clientVersion = clientVersion;
    this.loginRequestId = loginRequestId;
    this.loginTimeout = loginTimeout;
  }

  /** Starts connecting; the outcome arrives through {@link Owner}. */
  void open(
      Class<? extends SocketChannel> channelClass, Duration connectTimeout, int maxFrameBytes) {
    var connector = session.connector();
    ChannelFuture connect =
        new Bootstrap()
            .group(loop)
            .channel(channelClass)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ClientChannelInitializer(maxFrameBytes, this))
            .connect(connector.host(), connector.port());
    channel = connect.channel();
    connect.addListener(
        (ChannelFutureListener)
            f -> {
              if (!f.isSuccess() && state == State.CONNECTING) {
                state = State.CLOSED;
                ConnectException e =
                    new ConnectException(
                        "cannot connect to connector "
                            + connector
                            + ": "
                            + (f.cause() == null ? "cancelled" : f.cause().getMessage()));
                e.initCause(f.cause());
                owner.onLoginFailed(this, e);
              }
            });
  }

  boolean isReady() {
    return state == State.READY;
  }

  /** Writes and flushes; the future fails if the channel is gone. */
  ChannelFuture write(Frame frame) {
    return channel.writeAndFlush(frame);
  }

  /** Closes the connection on the application's behalf (the owner then hears a null cause). */
  void close() {
    closedByOwner = true;
    if (channel != null) {
      channel.close();
    }
  }

  // ---- FrameHandler.Events (event loop) --------------------------------------------------------

  @Override
  public void onActive() {
    state = State.LOGGING_IN;
    LoginReq req =
        LoginReq.newBuilder()
            .setToken(session.token())
            .setDeviceId(deviceId)
            .setClientVersion(clientVersion)
            .build();
    write(Frame.newBuilder().setRequestId(loginRequestId).setLoginReq(req).build());
    loginTimer =
        loop.schedule(
            () ->
                failLogin(
                    new TimeoutException(
                        "no LoginResp from connector "
                            + session.connector()
                            + " within "
                            + loginTimeout.toMillis()
                            + "ms")),
            loginTimeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  public void onFrame(Frame frame) {
    switch (frame.getBodyCase()) {
      case PING ->
          write(
              Frame.newBuilder()
                  .setRequestId(frame.getRequestId())
                  .setPong(Pong.newBuilder().setTimeMs(frame.getPing().getTimeMs()))
                  .build());
      case PONG -> {} // reading it already reset the idle timer
      case LOGIN_RESP -> onLoginResp(frame.getLoginResp());
      case ERROR -> {
        if (state == State.LOGGING_IN) {
          Error error = frame.getError();
          failLogin(new ServerErrorException(error.getCode(), error.getMessage()));
        } else {
          owner.onFrame(this, frame);
        }
      }
      case KICK -> {
        Kick kick = frame.getKick();
        closeCause =
            new ConnectionClosedException(
                "kicked: "
                    + kick.getReason()
                    + (kick.getMessage().isEmpty() ? "" : " (" + kick.getMessage() + ")"));
        if (state == State.READY) {
          owner.onFrame(this, frame);
        }
      }
      default -> {
        if (state == State.READY) {
          owner.onFrame(this, frame);
        } else {
          log.debug("frame {} before login ignored", frame.getBodyCase());
        }
      }
    }
  }

  @Override
  public void onReadIdle() {
    long seconds = heartbeatSeconds * (long) MISSED_HEARTBEATS;
    closeCause =
        new ConnectionClosedException(
            "no data from connector " + session.connector().id() + " for " + seconds + "s");
    channel.close();
  }

  @Override
  public void onFailure(Throwable cause) {
    log.debug("connection to {} failed", session.connector(), cause);
    if (closeCause == null) {
      closeCause = new ConnectionClosedException("connection lost: " + cause, cause);
    }
  }

  @Override
  public void onInactive() {
    cancel(loginTimer);
    cancel(heartbeat);
    State was = state;
    state = State.CLOSED;
    if (was == State.READY) {
      owner.onClosed(
          this,
          closedByOwner
              ? null
              : closeCause != null
                  ? closeCause
                  : new ConnectionClosedException("connection closed by the server"));
    } else if (was != State.CLOSED) {
      Throwable cause;
      if (loginRefusal != null) {
        cause = new ServerErrorException(ErrorCode.ERROR_CODE_UNSPECIFIED, loginRefusal);
      } else if (closedByOwner) {
        cause = new ConnectionClosedException("client closed before login completed");
      } else {
        cause =
            new ConnectionClosedException(
                "connector " + session.connector() + " closed the connection before login",
                closeCause);
      }
      owner.onLoginFailed(this, cause);
    }
  }

  // ---- login and heartbeat ---------------------------------------------------------------------

  private void onLoginResp(LoginResp resp) {
    if (state != State.LOGGING_IN) {
      log.debug("unexpected LoginResp in state {} ignored", state);
      return;
    }
    if (!resp.getOk()) {
      // The Error frame with the code follows; failLogin happens there or when the channel closes.
      loginRefusal = resp.getError().isEmpty() ? "login refused" : resp.getError();
      return;
    }
    cancel(loginTimer);
    state = State.READY;
    heartbeatSeconds =
        resp.getHeartbeatIntervalSeconds() > 0
            ? resp.getHeartbeatIntervalSeconds()
            : DEFAULT_HEARTBEAT_SECONDS;
    long intervalMillis = heartbeatSeconds * 1000L;
    ClientChannelInitializer.addReadIdleTimeout(
        channel.pipeline(), intervalMillis * MISSED_HEARTBEATS);
    heartbeat =
        loop.scheduleAtFixedRate(
            () ->
                write(
                    Frame.newBuilder()
                        .setPing(Ping.newBuilder().setTimeMs(System.currentTimeMillis()))
                        .build()),
            intervalMillis,
            intervalMillis,
            TimeUnit.MILLISECONDS);
    owner.onLoggedIn(this, resp);
  }

  private void failLogin(Throwable cause) {
    if (state != State.CONNECTING && state != State.LOGGING_IN) {
      return;
    }
    state = State.CLOSED;
    cancel(loginTimer);
    owner.onLoginFailed(this, cause);
    channel.close();
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
