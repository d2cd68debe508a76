package dev.switchboard.connector.net;

import dev.switchboard.connector.auth.LoginOutcome;
import dev.switchboard.connector.auth.LoginOutcome.Accepted;
import dev.switchboard.connector.auth.LoginOutcome.Refused;
import dev.switchboard.connector.route.OrderedChatForwarder;
import dev.switchboard.connector.route.SessionSync;
import dev.switchboard.connector.session.Frames;
import dev.switchboard.connector.session.Session;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.LoginResp;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage of every connection: waits (up to the login timeout) for a LoginReq, checks it,
 * registers the session and then hands the connection over to a {@link SessionHandler} in its
 * place. Anything else before a LoginReq gets Error{NOT_LOGGED_IN} and the connection is closed.
 *
 * <p>While the token is being checked (an RPC to user-status) reading is paused and frames that
 * were already decoded are kept, then replayed to the session handler in order, so a client may
 * send its first messages right behind its LoginReq.
 *
 * <p>Order of a successful login, all on the channel's event loop: LoginResp is written, then the
 * session enters the table (from then on deliveries may be written, and they can only follow the
 * LoginResp on the wire), then the route is registered in user-status. If that registration fails
 * the client gets Error{UNAVAILABLE} and is closed, since nobody could reach it. Once it succeeded
 * (and not before: see {@link SessionSync}) the first sync page is asked of offline-store and sent
 * as an unsolicited SyncResp; live deliveries keep flowing meanwhile.
 */
public final class LoginHandler extends SimpleChannelInboundHandler<Frame> {
  /** Frames a client may pipeline behind its LoginReq before it has been answered. */
  static final int MAX_FRAMES_DURING_LOGIN = 64;

  private static final Logger log = LoggerFactory.getLogger(LoginHandler.class);

  private enum State {
    AWAITING_LOGIN,
    AUTHENTICATING,
    /** Logged in; only frames that raced the handover still pass through here. */
    DONE,
    /** Refused; the connection is closing and further frames are dropped. */
    REFUSED
  }

  private final ClientSettings settings;
  private final ClientServices services;
  private final List<Frame> heldBack = new ArrayList<>();
  private State state = State.AWAITING_LOGIN;
  private ScheduledFuture<?> loginTimeout;

  public LoginHandler(ClientSettings settings, ClientServices services) {
    this.settings = settings;
    this.services = services;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      startLoginTimer(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    startLoginTimer(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelLoginTimer();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelLoginTimer();
    super.channelInactive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    switch (state) {
      case AWAITING_LOGIN -> {
        if (!frame.hasLoginReq()) {
          refuse(ctx, frame.getRequestId(), ErrorCode.NOT_LOGGED_IN, "send LoginReq first", false);
          return;
        }
        state = State.AUTHENTICATING;
        cancelLoginTimer();
        ctx.channel().config().setAutoRead(false);
        services
            .authenticator()
            .authenticate(frame.getLoginReq())
            .whenCompleteAsync(
                (outcome, failure) -> onAuthenticated(ctx, frame, outcome, failure),
                ctx.executor());
      }
      case AUTHENTICATING -> {
        if (heldBack.size() >= MAX_FRAMES_DURING_LOGIN) {
          refuse(
              ctx,
              frame.getRequestId(),
              ErrorCode.RATE_LIMITED,
              "too many frames before the login was answered",
              false);
          return;
        }
        heldBack.add(frame);
      }
      case DONE -> ctx.fireChannelRead(frame);
      case REFUSED -> {
        // closing: ignore
      }
    }
  }

  private void onAuthenticated(
      ChannelHandlerContext ctx, Frame request, LoginOutcome outcome, Throwable failure) {
    if (!ctx.channel().isActive() || state != State.AUTHENTICATING) {
      return;
    }
    long requestId = request.getRequestId();
    if (failure != null) {
      log.warn("login failed unexpectedly on {}", ctx.channel().remoteAddress(), failure);
      refuse(ctx, requestId, ErrorCode.INTERNAL, "login failed; try again", true);
    } else if (outcome instanceof Refused refused) {
      refuse(ctx, requestId, refused.code(), refused.message(), true);
    } else if (outcome instanceof Accepted accepted) {
      startSession(ctx, requestId, accepted);
    }
  }

  private void startSession(ChannelHandlerContext ctx, long requestId, Accepted accepted) {
    Channel channel = ctx.channel();
    Session session =
        new Session(
            UUID.randomUUID().toString(),
            accepted.userId(),
            accepted.deviceId(),
            accepted.tokenId(),
            settings.connectorId(),
            channel);
    state = State.DONE;
    channel.writeAndFlush(
        Frame.newBuilder()
            .setRequestId(requestId)
            .setLoginResp(
                LoginResp.newBuilder()
                    .setOk(true)
                    .setUserId(session.userId())
                    .setServerTimeMs(services.clock().millis())
                    .setHeartbeatIntervalSeconds((int) settings.heartbeatInterval().toSeconds())
                    .setConnectorId(settings.connectorId()))
            .build());
    Optional<Session> replaced = services.sessions().put(session);
    replaced.ifPresent(
        older ->
            older.kick(
                KickReason.LOGGED_IN_ELSEWHERE, "this device logged in on another connection"));
    channel
        .closeFuture()
        .addListener(
            closed -> {
              services.sessions().remove(session);
              boolean replacedHere =
                  services
                      .sessions()
                      .find(session.userId(), session.deviceId())
                      .filter(newer -> newer != session)
                      .isPresent();
              services.registrar().offline(session, replacedHere);
              log.info(
                  "session closed user={} device={} session={}",
                  session.userId(),
                  session.deviceId(),
                  session.sessionId());
            });
    SessionSync sync =
        new SessionSync(
            session,
            services.syncSource(),
            services.cursorWriter(),
            settings.syncWait(),
            services.metrics());
    services
        .registrar()
        .online(session, replaced.isPresent())
        .whenCompleteAsync(
            (ignored, failure) -> {
              if (!channel.isActive()) {
                return;
              }
              if (failure == null) {
                sync.start(); // the route is visible to transfer now
              } else {
                log.warn(
                    "cannot register user={} device={} session={}: {}",
                    session.userId(),
                    session.deviceId(),
                    session.sessionId(),
                    failure.toString());
                channel
                    .writeAndFlush(
                        Frames.error(
                            ErrorCode.UNAVAILABLE,
                            "the session could not be registered; reconnect shortly",
                            0))
                    .addListener(ChannelFutureListener.CLOSE);
              }
            },
            ctx.executor());
    services.metrics().loginAccepted();
    log.info(
        "login user={} device={} session={} from {}",
        session.userId(),
        session.deviceId(),
        session.sessionId(),
        channel.remoteAddress());

    SessionHandler next =
        new SessionHandler(
            session,
            services.forwarder(),
            new OrderedChatForwarder(
                session, services.forwarder(), settings.maxQueuedChatsPerSession()),
            sync);
    ctx.pipeline().addAfter(ctx.name(), ClientChannelInitializer.SESSION, next);
    for (Frame frame : heldBack) {
      ctx.fireChannelRead(frame);
    }
    heldBack.clear();
    ctx.pipeline().remove(this);
    channel.config().setAutoRead(true);
  }

  /**
   * Answers with the error (after a LoginResp{ok=false} when a LoginReq is being refused) and
   * closes the connection.
   */
  private void refuse(
      ChannelHandlerContext ctx,
      long requestId,
      ErrorCode code,
      String message,
      boolean answersLoginReq) {
    state = State.REFUSED;
    heldBack.clear();
    cancelLoginTimer();
    services.metrics().loginRefused(code);
    log.debug("login refused {} on {}: {}", code, ctx.channel().remoteAddress(), message);
    Channel channel = ctx.channel();
    channel.config().setAutoRead(false);
    if (answersLoginReq) {
      channel.write(
          Frame.newBuilder()
              .setRequestId(requestId)
              .setLoginResp(LoginResp.newBuilder().setOk(false).setError(message))
              .build());
    }
    channel
        .writeAndFlush(Frames.error(code, message, requestId))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void startLoginTimer(ChannelHandlerContext ctx) {
    if (loginTimeout != null || state != State.AWAITING_LOGIN) {
      return;
    }
    loginTimeout =
        ctx.executor()
            .schedule(
                () -> {
                  if (state == State.AWAITING_LOGIN && ctx.channel().isActive()) {
                    refuse(
                        ctx,
                        0,
                        ErrorCode.LOGIN_TIMEOUT,
                        "no LoginReq within " + settings.loginTimeout().toMillis() + " ms",
                        false);
                  }
                },
                settings.loginTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
  }

  private void cancelLoginTimer() {
    if (loginTimeout != null) {
      loginTimeout.cancel(false);
    }
  }
}
