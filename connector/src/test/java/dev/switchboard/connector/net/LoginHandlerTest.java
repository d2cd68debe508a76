package dev.switchboard.connector.net;

import static dev.switchboard.connector.testing.ClientHarness.login;
import static dev.switchboard.connector.testing.ClientHarness.read;
import static dev.switchboard.connector.testing.ClientHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.connector.session.Session;
import dev.switchboard.connector.testing.ClientHarness;
import dev.switchboard.connector.testing.RecordingKicker;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.Ping;
import dev.switchboard.proto.internal.SessionRoute;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoginHandlerTest {
  private final ClientHarness harness = new ClientHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void login_isAnsweredWithLoginRespAndRegistersTheSession() {
    EmbeddedChannel channel = harness.connect();

    send(channel, login(42, harness.token(7, "phone"), "phone"));

    List<Frame> out = read(channel);
    assertThat(out).hasSize(2);
    assertThat(out.get(1).hasSyncResp()).as("the first sync page follows").isTrue();
    assertThat(out.get(0).getRequestId()).isEqualTo(42);
    LoginResp resp = out.get(0).getLoginResp();
    assertThat(resp.getOk()).isTrue();
    assertThat(resp.getUserId()).isEqualTo(7);
    assertThat(resp.getConnectorId()).isEqualTo(ClientHarness.CONNECTOR_ID);
    assertThat(resp.getHeartbeatIntervalSeconds()).isEqualTo(30);
    assertThat(resp.getServerTimeMs()).isEqualTo(ClientHarness.CLOCK.millis());
    assertThat(channel.isOpen()).isTrue();

    Session session = harness.sessions.find(7, "phone").orElseThrow();
    assertThat(session.channel()).isSameAs(channel);
    SessionRoute route = harness.presence.route(7, "phone").orElseThrow();
    assertThat(route.getConnectorId()).isEqualTo(ClientHarness.CONNECTOR_ID);
    assertThat(route.getSessionId()).isEqualTo(session.sessionId());
    assertThat(channel.pipeline().get(ClientChannelInitializer.LOGIN)).isNull();
    assertThat(channel.pipeline().get(ClientChannelInitializer.SESSION))
        .isInstanceOf(SessionHandler.class);
  }

  @Test
  void loginWithoutDeviceId_usesTheTokensDevice() {
    EmbeddedChannel channel = harness.connect();

    send(channel, login(1, harness.token(7, "laptop"), ""));

    assertThat(read(channel).get(0).getLoginResp().getOk()).isTrue();
    assertThat(harness.sessions.find(7, "laptop")).isPresent();
  }

  @Test
  void frameBeforeLogin_getsNotLoggedInAndIsClosed() {
    EmbeddedChannel channel = harness.connect();

    send(
        channel,
        Frame.newBuilder().setRequestId(5).setPing(Ping.newBuilder().setTimeMs(1)).build());

    assertRefused(channel, ErrorCode.NOT_LOGGED_IN, 5, false);
  }

  @Test
  void loginWithGarbageToken_isRejectedAndClosed() {
    EmbeddedChannel channel = harness.connect();

    send(channel, login(3, "not-a-token", "phone"));

    assertRefused(channel, ErrorCode.INVALID_TOKEN, 3, true);
  }

  @Test
  void loginWithExpiredToken_isRejectedAndClosed() {
    Clock yesterday =
        Clock.fixed(ClientHarness.CLOCK.instant().minus(Duration.ofDays(1)), ZoneOffset.UTC);
    String expired =
        new TokenService(ClientHarness.SECRET, yesterday)
            .issue(7, "phone", Duration.ofHours(1))
            .token();
    EmbeddedChannel channel = harness.connect();

    send(channel, login(3, expired, "phone"));

    assertRefused(channel, ErrorCode.TOKEN_EXPIRED, 3, true);
  }

  @Test
  void loginWithTokenSignedByAnotherKey_isRejectedAndClosed() {
    String forged =
        new TokenService(
                "another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8),
                ClientHarness.CLOCK)
            .issue(7, "phone", Duration.ofHours(1))
            .token();
    EmbeddedChannel channel = harness.connect();

    send(channel, login(3, forged, "phone"));

    assertRefused(channel, ErrorCode.INVALID_TOKEN, 3, true);
  }

  @Test
  void loginWithAlgNoneToken_isRejectedAndClosed() {
    Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
    long exp = ClientHarness.CLOCK.instant().plus(Duration.ofHours(1)).getEpochSecond();
    String header = base64url.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        base64url.encodeToString(
            ("{\"sub\":\"7\",\"dev\":\"phone\",\"jti\":\"t1\",\"iss\":\"switchboard\",\"exp\":"
                    + exp
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    EmbeddedChannel channel = harness.connect();

    send(channel, login(3, header + "." + claims + ".", "phone"));

    assertRefused(channel, ErrorCode.INVALID_TOKEN, 3, true);
    assertThat(harness.sessions.size()).isZero();
  }

  @Test
  void loginWithAnotherDeviceThanTheTokens_isRejectedAndClosed() {
    EmbeddedChannel channel = harness.connect();

    send(channel, login(3, harness.token(7, "phone"), "laptop"));

    assertRefused(channel, ErrorCode.INVALID_TOKEN, 3, true);
    assertThat(harness.sessions.size()).isZero();
  }

  @Test
  void loginWithDeviceIdLongerThan64_isRejectedAndClosed() {
    String device = "d".repeat(65);
    EmbeddedChannel channel = harness.connect();

    send(channel, login(3, harness.token(7, device), device));

    assertRefused(channel, ErrorCode.INVALID_MESSAGE, 3, true);
  }

  @Test
  void noLoginWithinTheTimeout_getsLoginTimeoutAndIsClosed() {
    EmbeddedChannel channel = harness.connect();

    channel.advanceTimeBy(4_900, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isOpen()).isTrue();
    assertThat(read(channel)).isEmpty();

    channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();

    assertRefused(channel, ErrorCode.LOGIN_TIMEOUT, 0, false);
  }

  @Test
  void loginInTime_cancelsTheTimeout() {
    EmbeddedChannel channel = harness.loggedIn(7, "phone");

    channel.advanceTimeBy(10, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(read(channel)).isEmpty();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void loginWithRevokedToken_isRejectedAndClosed() {
    var issued = harness.tokens.issue(7, "phone", Duration.ofHours(1));
    harness.presence.revoke(issued.claims().tokenId());
    EmbeddedChannel channel = harness.connect();

    send(channel, login(3, issued.token(), "phone"));

    assertRefused(channel, ErrorCode.INVALID_TOKEN, 3, true);
    assertThat(harness.sessions.size()).isZero();
  }

  @Test
  void loginWhileUserStatusIsUnreachable_getsUnavailableAndIsClosed() {
    harness.presence.setUnreachable(true);
    EmbeddedChannel channel = harness.connect();

    send(channel, login(3, harness.token(7, "phone"), "phone"));

    assertRefused(channel, ErrorCode.UNAVAILABLE, 3, true);
    assertThat(harness.sessions.size()).isZero();
  }

  @Test
  void secondLoginReq_getsAlreadyLoggedInAndTheConnectionStays() {
    EmbeddedChannel channel = harness.loggedIn(7, "phone");

    send(channel, login(9, harness.token(7, "phone"), "phone"));

    List<Frame> out = read(channel);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getError().getCode()).isEqualTo(ErrorCode.ALREADY_LOGGED_IN);
    assertThat(out.get(0).getError().getRequestId()).isEqualTo(9);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void sameDeviceLoggingInTwice_kicksTheFirstConnection() {
    EmbeddedChannel first = harness.loggedIn(7, "phone");
    Session firstSession = harness.sessions.find(7, "phone").orElseThrow();

    EmbeddedChannel second = harness.loggedIn(7, "phone");

    List<Frame> toFirst = read(first);
    assertThat(toFirst).hasSize(1);
    assertThat(toFirst.get(0).getKick().getReason()).isEqualTo(KickReason.LOGGED_IN_ELSEWHERE);
    assertThat(first.isOpen()).isFalse();
    assertThat(second.isOpen()).isTrue();
    Session current = harness.sessions.find(7, "phone").orElseThrow();
    assertThat(current.channel()).isSameAs(second);
    assertThat(current.sessionId()).isNotEqualTo(firstSession.sessionId());
    // The old session's offline did not remove the new route.
    assertThat(harness.presence.route(7, "phone").orElseThrow().getSessionId())
        .isEqualTo(current.sessionId());
    assertThat(harness.kicker.kicks).isEmpty();
  }

  @Test
  void otherDevicesOfTheSameUser_stayLoggedIn() {
    EmbeddedChannel phone = harness.loggedIn(7, "phone");
    EmbeddedChannel laptop = harness.loggedIn(7, "laptop");

    assertThat(phone.isOpen()).isTrue();
    assertThat(laptop.isOpen()).isTrue();
    assertThat(harness.sessions.sessionsOf(7)).hasSize(2);
  }

  @Test
  void loginReplacingASessionOnAnotherConnector_kicksItThere() {
    harness.presence.putRoute(
        SessionRoute.newBuilder()
            .setUserId(7)
            .setDeviceId("phone")
            .setConnectorId("conn-other")
            .setSessionId("old-session")
            .build());

    harness.loggedIn(7, "phone");

    Session session = harness.sessions.find(7, "phone").orElseThrow();
    assertThat(harness.kicker.kicks).hasSize(1);
    RecordingKicker.Kick kick = harness.kicker.kicks.get(0);
    assertThat(kick.connectorId()).isEqualTo("conn-other");
    assertThat(kick.request().getUserId()).isEqualTo(7);
    assertThat(kick.request().getDeviceId()).isEqualTo("phone");
    assertThat(kick.request().getKeepSessionId()).isEqualTo(session.sessionId());
    assertThat(kick.request().getReason()).isEqualTo(KickReason.LOGGED_IN_ELSEWHERE);
  }

  @Test
  void framesSentRightBehindTheLoginReq_areServedAfterTheLoginResp() {
    EmbeddedChannel channel = harness.connect();

    send(
        channel,
        login(1, harness.token(7, "phone"), "phone"),
        Frame.newBuilder().setRequestId(2).setPing(Ping.newBuilder().setTimeMs(99)).build());

    List<Frame> out = read(channel);
    assertThat(out).extracting(Frame::getBodyCase).contains(Frame.BodyCase.SYNC_RESP);
    out.removeIf(Frame::hasSyncResp); // the first sync page; its order is asserted in SyncTest
    assertThat(out).hasSize(2);
    assertThat(out.get(0).getLoginResp().getOk()).isTrue();
    assertThat(out.get(1).getPong().getTimeMs()).isEqualTo(99);
    assertThat(out.get(1).getRequestId()).isEqualTo(2);
  }

  @Test
  void failedRouteRegistration_closesTheNewSession() {
    CompletableFuture<Void> gate = harness.presence.holdOnlineCalls();
    EmbeddedChannel channel = harness.connect();
    send(channel, login(1, harness.token(7, "phone"), "phone"));
    assertThat(read(channel).get(0).getLoginResp().getOk()).isTrue();

    gate.completeExceptionally(new IllegalStateException("redis down"));

    List<Frame> out = read(channel);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(channel.isOpen()).isFalse();
    assertThat(harness.sessions.size()).isZero();
  }

  @Test
  void closedConnection_isRemovedFromTheTableAndGoesOffline() {
    EmbeddedChannel channel = harness.loggedIn(7, "phone");
    Session session = harness.sessions.find(7, "phone").orElseThrow();

    channel.close();

    assertThat(harness.sessions.size()).isZero();
    assertThat(harness.presence.route(7, "phone")).isEmpty();
    assertThat(harness.presence.calls()).contains("offline " + session.sessionId());
  }

  @Test
  void offline_isSentOnlyAfterTheOnlineCallFinished() {
    CompletableFuture<Void> gate = harness.presence.holdOnlineCalls();
    EmbeddedChannel channel = harness.connect();
    send(channel, login(1, harness.token(7, "phone"), "phone"));
    Session session = harness.sessions.find(7, "phone").orElseThrow();

    channel.close();
    assertThat(harness.presence.calls()).doesNotContain("offline " + session.sessionId());

    gate.complete(null);
    assertThat(harness.presence.calls())
        .containsSubsequence("online " + session.sessionId(), "offline " + session.sessionId());
    assertThat(harness.presence.route(7, "phone")).isEmpty();
  }

  @Test
  void loginMetrics_countAcceptedAndRefused() {
    harness.loggedIn(7, "phone");
    send(harness.connect(), login(1, "bad", "phone"));

    assertThat(harness.meters.get("connector.logins").tag("outcome", "accepted").counter().count())
        .isEqualTo(1);
    assertThat(
            harness
                .meters
                .get("connector.logins")
                .tag("outcome", "refused")
                .tag("reason", "invalid_token")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(harness.meters.get("connector.sessions").gauge().value()).isEqualTo(1);
  }

  /** The Error frame (behind a LoginResp{ok=false} when a LoginReq was refused), then closed. */
  private static void assertRefused(
      EmbeddedChannel channel, ErrorCode code, long requestId, boolean answersLoginReq) {
    List<Frame> out = read(channel);
    if (answersLoginReq) {
      assertThat(out).hasSize(2);
      assertThat(out.get(0).getLoginResp().getOk()).isFalse();
      assertThat(out.get(0).getLoginResp().getError()).isNotEmpty();
      assertThat(out.get(0).getRequestId()).isEqualTo(requestId);
    } else {
      assertThat(out).hasSize(1);
    }
    Frame error = out.get(out.size() - 1);
    assertThat(error.getError().getCode()).isEqualTo(code);
    assertThat(error.getError().getRequestId()).isEqualTo(requestId);
    assertThat(error.getRequestId()).isEqualTo(requestId);
    assertThat(channel.isOpen()).isFalse();
  }
}
