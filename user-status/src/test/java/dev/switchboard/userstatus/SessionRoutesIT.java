package dev.switchboard.userstatus;

import static dev.switchboard.userstatus.InProcessUserStatus.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.OfflineRequest;
import dev.switchboard.proto.internal.OfflineResponse;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.OnlineResponse;
import dev.switchboard.proto.internal.RenewRequest;
import dev.switchboard.proto.internal.SessionRoute;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class SessionRoutesIT {

  private final EmbeddedRedis redis;
  private final TestIds ids = new TestIds();
  private final MutableClock clock = new MutableClock();
  private InProcessUserStatus userStatus;

  SessionRoutesIT(EmbeddedRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void startService() throws Exception {
    userStatus =
        InProcessUserStatus.start(redis.url(), clock, InProcessUserStatus.TTL, ids.keyPrefix());
  }

  @AfterEach
  void stopService() throws Exception {
    userStatus.close();
  }

  @Test
  void online_thenGetRoutes_returnsTheRouteWithExpiryFromTheTtl() {
    long user = ids.userId();
    String sessionId = ids.sessionId();

    OnlineResponse online = online(session(user, "phone", "conn-a", sessionId));

    assertThat(online.getReplaced()).isFalse();
    assertThat(online.hasPrevious()).isFalse();
    assertThat(routesOf(user))
        .containsExactly(
            session(user, "phone", "conn-a", sessionId).toBuilder()
                .setExpiresAtMs(clock.millis() + InProcessUserStatus.TTL.toMillis())
                .build());
    long pttl = userStatus.redis().pttl(userStatus.keys().routes(user));
    assertThat(pttl).isBetween(80_000L, 90_000L);
  }

  @Test
  void offline_removesTheRoute_andTheUserKey() {
    long user = ids.userId();
    SessionRoute phone = session(user, "phone", "conn-a", ids.sessionId());
    online(phone);

    boolean removed =
        userStatus
            .stub()
            .offline(OfflineRequest.newBuilder().setSession(phone).build())
            .getRemoved();

    assertThat(removed).isTrue();
    assertThat(routesOf(user)).isEmpty();
    assertThat(userStatus.redis().exists(userStatus.keys().routes(user))).isFalse();
    assertThat(userStatus.redis().zscore(userStatus.keys().online(), Long.toString(user))).isNull();
  }

  @Test
  void offlineOfOneDevice_keepsTheOtherDevicesRoute() {
    long user = ids.userId();
    SessionRoute phone = session(user, "phone", "conn-a", ids.sessionId());
    SessionRoute laptop = session(user, "laptop", "conn-b", ids.sessionId());
    online(phone);
    online(laptop);

    userStatus.stub().offline(OfflineRequest.newBuilder().setSession(phone).build());

    assertThat(routesOf(user)).extracting(SessionRoute::getDeviceId).containsExactly("laptop");
  }

  @Test
  void onlineAndOffline_countTheUsersLiveSessions_withoutExpiredOnes() {
    long user = ids.userId();
    SessionRoute phone = session(user, "phone", "conn-a", ids.sessionId());
    SessionRoute laptop = session(user, "laptop", "conn-b", ids.sessionId());
    SessionRoute tablet = session(user, "tablet", "conn-b", ids.sessionId());

    assertThat(online(phone).getLiveSessions()).isEqualTo(1);
    assertThat(online(laptop).getLiveSessions()).isEqualTo(2);
    assertThat(online(phone).getLiveSessions()).as("a repeated Online").isEqualTo(2);
    assertThat(offline(laptop).getLiveSessions()).isEqualTo(1);
    assertThat(offline(laptop).getRemoved()).isFalse();
    assertThat(offline(phone).getLiveSessions()).isZero();

    // A route whose connector stopped renewing it (crashed) is not a live session.
    online(phone);
    clock.advance(InProcessUserStatus.TTL.plusSeconds(1));
    assertThat(online(tablet).getLiveSessions()).isEqualTo(1);
  }

  @Test
  void devicesLoggingInAtOnce_exactlyOneSeesTheFirstSession_andOneTheLastEnd() throws Exception {
    for (int round = 0; round < 20; round++) {
      long user = ids.userId();
      List<SessionRoute> devices = new ArrayList<>();
      for (int d = 0; d < 8; d++) {
        devices.add(session(user, "device-" + d, "conn-a", ids.sessionId()));
      }
      List<Integer> atOnline = inParallel(devices, s -> online(s).getLiveSessions());
      List<Integer> atOffline = inParallel(devices, s -> offline(s).getLiveSessions());

      assertThat(atOnline).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
      assertThat(atOffline).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
    }
  }

  private static List<Integer> inParallel(
      List<SessionRoute> sessions, java.util.function.Function<SessionRoute, Integer> call)
      throws Exception {
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(sessions.size());
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
      for (SessionRoute s : sessions) {
        answers.add(
            threads.submit(
                () -> {
                  start.await();
                  return call.apply(s);
                }));
      }
      start.countDown();
      List<Integer> out = new ArrayList<>();
      for (java.util.concurrent.Future<Integer> answer : answers) {
        out.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      return out;
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void secondLoginOfSameDevice_onAnotherConnector_replacesTheRoute_andOldOfflineKeepsIt() {
    long user = ids.userId();
    SessionRoute first = session(user, "phone", "conn-a", ids.sessionId());
    SessionRoute second = session(user, "phone", "conn-b", ids.sessionId());
    online(first);

    OnlineResponse relogin = online(second);

    assertThat(relogin.getReplaced()).isTrue();
    assertThat(relogin.getPrevious().getConnectorId()).isEqualTo("conn-a");
    assertThat(relogin.getPrevious().getSessionId()).isEqualTo(first.getSessionId());
    // The old connector notices its connection is gone and reports it: too late to matter.
    boolean removed =
        userStatus
            .stub()
            .offline(OfflineRequest.newBuilder().setSession(first).build())
            .getRemoved();
    assertThat(removed).isFalse();
    assertThat(routesOf(user))
        .singleElement()
        .satisfies(
            route -> {
              assertThat(route.getConnectorId()).isEqualTo("conn-b");
              assertThat(route.getSessionId()).isEqualTo(second.getSessionId());
            });
  }

  @Test
  void repeatedOnlineOfTheSameSession_isNotAReplacement() {
    long user = ids.userId();
    SessionRoute phone = session(user, "phone", "conn-a", ids.sessionId());
    online(phone);

    OnlineResponse again = online(phone);

    assertThat(again.getReplaced()).isFalse();
    assertThat(again.getPrevious().getSessionId()).isEqualTo(phone.getSessionId());
  }

  @Test
  void routeExpiresAfterTheTtl_whenNobodyRenewsIt() throws Exception {
    long user = ids.userId();
    try (InProcessUserStatus shortLived =
        InProcessUserStatus.start(
            redis.url(), Clock.systemUTC(), Duration.ofSeconds(1), ids.keyPrefix())) {
      shortLived
          .stub()
          .online(
              OnlineRequest.newBuilder()
                  .setSession(session(user, "phone", "conn-a", ids.sessionId()))
                  .build());
      assertThat(routesOf(shortLived, user)).hasSize(1);

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(routesOf(shortLived, user)).isEmpty();
                assertThat(shortLived.redis().exists(shortLived.keys().routes(user))).isFalse();
              });
    }
  }

  @Test
  void crashedConnectorsSession_expiresEvenWhileAnotherDeviceKeepsTheUserAlive() {
    long user = ids.userId();
    online(session(user, "phone", "conn-crashed", ids.sessionId()));
    clock.advance(Duration.ofSeconds(60));
    SessionRoute laptop = session(user, "laptop", "conn-alive", ids.sessionId());
    online(laptop);

    clock.advance(Duration.ofSeconds(31)); // the phone's 90 s are over, the laptop has 59 s left

    assertThat(routesOf(user)).extracting(SessionRoute::getDeviceId).containsExactly("laptop");
  }

  @Test
  void renew_extendsTheSessionsOfAConnector() {
    long alice = ids.userId();
    long bob = ids.userId();
    SessionRoute alicePhone = session(alice, "phone", "conn-a", ids.sessionId());
    SessionRoute bobPhone = session(bob, "phone", "conn-a", ids.sessionId());
    online(alicePhone);
    online(bobPhone);
    clock.advance(Duration.ofSeconds(60));

    int renewed = renew("conn-a", alicePhone, bobPhone);
    clock.advance(Duration.ofSeconds(60)); // 120 s after login: alive thanks to the renewal

    assertThat(renewed).isEqualTo(2);
    assertThat(routesOf(alice, bob))
        .extracting(SessionRoute::getUserId, SessionRoute::getExpiresAtMs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(alice, clock.millis() + 30_000),
            org.assertj.core.groups.Tuple.tuple(bob, clock.millis() + 30_000));
  }

  @Test
  void renewAfterFlushAll_recreatesTheRoutesAndTheOnlineEntry() {
    long alice = ids.userId();
    long bob = ids.userId();
    SessionRoute alicePhone = session(alice, "phone", "conn-a", ids.sessionId());
    SessionRoute bobLaptop = session(bob, "laptop", "conn-a", ids.sessionId());
    online(alicePhone);
    online(bobLaptop);

    userStatus.redis().flushAll();
    assertThat(routesOf(alice, bob)).isEmpty();
    int renewed = renew("conn-a", alicePhone, bobLaptop);

    assertThat(renewed).isEqualTo(2);
    assertThat(routesOf(alice, bob))
        .extracting(SessionRoute::getUserId, SessionRoute::getDeviceId, SessionRoute::getSessionId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(alice, "phone", alicePhone.getSessionId()),
            org.assertj.core.groups.Tuple.tuple(bob, "laptop", bobLaptop.getSessionId()));
    assertThat(userStatus.redis().zscore(userStatus.keys().online(), Long.toString(alice)))
        .isNotNull();
    assertThat(userStatus.redis().pttl(userStatus.keys().routes(bob))).isPositive();
  }

  @Test
  void renewOfAReplacedSession_doesNotOverwriteTheNewerLogin() {
    long user = ids.userId();
    SessionRoute old = session(user, "phone", "conn-a", ids.sessionId());
    SessionRoute newer = session(user, "phone", "conn-b", ids.sessionId());
    online(old);
    online(newer);

    int renewed = renew("conn-a", old);

    assertThat(renewed).isZero();
    assertThat(routesOf(user)).extracting(SessionRoute::getConnectorId).containsExactly("conn-b");
  }

  @Test
  void renewBatchLargerThanOneScript_renewsEverySession() {
    List<SessionRoute> sessions = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      sessions.add(session(ids.userId(), "d", "conn-big", ids.sessionId()));
    }

    int renewed =
        userStatus
            .stub()
            .renew(
                RenewRequest.newBuilder()
                    .setConnectorId("conn-big")
                    .addAllSessions(sessions)
                    .build())
            .getRenewed();

    assertThat(renewed).isEqualTo(2_500);
    long[] users = sessions.stream().mapToLong(SessionRoute::getUserId).toArray();
    assertThat(routesOf(users)).hasSize(2_500);
  }

  @Test
  void getRoutes_looksUpManyUsersInOneCall_andSkipsUnknownOnes() {
    long first = ids.userId();
    for (int i = 0; i < 500; i++) {
      online(session(first + i, "phone", "conn-" + (i % 3), ids.sessionId()));
    }
    long[] wanted = LongStream.range(first, first + 600).toArray(); // the last 100 never logged in

    List<SessionRoute> routes = routesOf(wanted);

    assertThat(routes).hasSize(500);
    assertThat(routes)
        .extracting(SessionRoute::getUserId)
        .containsExactlyElementsOf(LongStream.range(first, first + 500).boxed().toList());
  }

  @Test
  void getRoutes_ofSeveralDevices_returnsEachDeviceOnce_evenForRepeatedUserIds() {
    long user = ids.userId();
    online(session(user, "phone", "conn-a", ids.sessionId()));
    online(session(user, "laptop", "conn-b", ids.sessionId()));

    assertThat(routesOf(user, user))
        .extracting(SessionRoute::getDeviceId)
        .containsExactly("laptop", "phone");
  }

  @Test
  void scriptsForgottenByRedis_areLoadedAgainOnTheNextCall() {
    long user = ids.userId();
    userStatus.redis().scriptFlush();

    online(session(user, "phone", "conn-a", ids.sessionId()));

    assertThat(routesOf(user)).hasSize(1);
  }

  private OnlineResponse online(SessionRoute session) {
    return userStatus.stub().online(OnlineRequest.newBuilder().setSession(session).build());
  }

  private OfflineResponse offline(SessionRoute session) {
    return userStatus.stub().offline(OfflineRequest.newBuilder().setSession(session).build());
  }

  private int renew(String connectorId, SessionRoute... sessions) {
    return userStatus
        .stub()
        .renew(
            RenewRequest.newBuilder()
                .setConnectorId(connectorId)
                .addAllSessions(List.of(sessions))
                .build())
        .getRenewed();
  }

  private List<SessionRoute> routesOf(long... userIds) {
    return routesOf(userStatus, userIds);
  }

  private static List<SessionRoute> routesOf(InProcessUserStatus service, long... userIds) {
    GetRoutesRequest.Builder request = GetRoutesRequest.newBuilder();
    for (long userId : userIds) {
      request.addUserIds(userId);
    }
    return service.stub().getRoutes(request.build()).getRoutesList();
  }
}
