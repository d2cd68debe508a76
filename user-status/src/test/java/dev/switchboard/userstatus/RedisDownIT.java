package dev.switchboard.userstatus;

import static dev.switchboard.userstatus.InProcessUserStatus.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.proto.internal.CheckTokenRevokedRequest;
import dev.switchboard.proto.internal.CountOnlineRequest;
import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.ListOnlineRequest;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.RenewRequest;
import dev.switchboard.proto.internal.SessionRoute;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Redis is down" must never read as "offline" or "not revoked". Uses a Redis of its own, because
 * it stops it.
 */
class RedisDownIT {

  /** Calls at once: the connections of InProcessUserStatus's pool. */
  private static final int POOL_BURST = 8;

  private final TestIds ids = new TestIds();

  @Test
  void redisStopped_everyCallFailsWithUnavailable_neverWithAnEmptyAnswer(@TempDir Path dir)
      throws Exception {
    long user = ids.userId();
    SessionRoute phone = session(user, "phone", "conn-a", ids.sessionId());
    EmbeddedRedis ownRedis = EmbeddedRedis.start(dir, 0);
    try (InProcessUserStatus userStatus =
        InProcessUserStatus.startImpatient(ownRedis.url(), new MutableClock())) {
      userStatus.stub().online(OnlineRequest.newBuilder().setSession(phone).build());
      assertThat(
              userStatus
                  .stub()
                  .getRoutes(GetRoutesRequest.newBuilder().addUserIds(user).build())
                  .getRoutesCount())
          .isEqualTo(1);

      ownRedis.close();

      assertUnavailable(
          () -> userStatus.stub().getRoutes(GetRoutesRequest.newBuilder().addUserIds(user).build()),
          ownRedis.port());
      assertUnavailable(
          () -> userStatus.stub().online(OnlineRequest.newBuilder().setSession(phone).build()),
          ownRedis.port());
      assertUnavailable(
          () ->
              userStatus
                  .stub()
                  .renew(
                      RenewRequest.newBuilder()
                          .setConnectorId("conn-a")
                          .addSessions(phone)
                          .build()),
          ownRedis.port());
      assertUnavailable(
          () -> userStatus.stub().countOnline(CountOnlineRequest.getDefaultInstance()),
          ownRedis.port());
      assertUnavailable(
          () -> userStatus.stub().listOnline(ListOnlineRequest.getDefaultInstance()),
          ownRedis.port());
      assertUnavailable(
          () ->
              userStatus
                  .stub()
                  .checkTokenRevoked(
                      CheckTokenRevokedRequest.newBuilder().setTokenId("t-1").build()),
          ownRedis.port());
    } finally {
      ownRedis.close();
    }
  }

  /**
   * Pooled connections are not tested when borrowed (a PING per call), so the pool must drop the
   * ones a Redis restart broke by itself, also those nobody borrows: soon after Redis is back every
   * connection opened before is gone, and a burst that takes every pooled connection at once
   * succeeds.
   */
  @Test
  void redisRestarted_brokenPooledConnectionsAreDropped_notHandedToCalls(@TempDir Path dir)
      throws Exception {
    long user = ids.userId();
    SessionRoute phone = session(user, "phone", "conn-a", ids.sessionId());
    GetRoutesRequest routesOfUser = GetRoutesRequest.newBuilder().addUserIds(user).build();
    EmbeddedRedis first = EmbeddedRedis.start(dir, 0);
    EmbeddedRedis second = null;
    ExecutorService callers = Executors.newFixedThreadPool(POOL_BURST);
    try (InProcessUserStatus userStatus =
        InProcessUserStatus.startImpatient(first.url(), new MutableClock())) {
      userStatus.stub().online(OnlineRequest.newBuilder().setSession(phone).build());
      assertThat(burst(callers, () -> userStatus.stub().getRoutes(routesOfUser).getRoutesCount()))
          .containsOnly(1);

      long openedBeforeRestart = userStatus.redis().getPool().getCreatedCount();

      first.close();
      second = EmbeddedRedis.start(dir, first.port()); // the same data: the route is kept

      // Every connection opened before the restart is dropped, used or not: none is left idle.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> userStatus.redis().getPool().getDestroyedCount() >= openedBeforeRestart);
      assertThat(burst(callers, () -> userStatus.stub().getRoutes(routesOfUser).getRoutesCount()))
          .containsOnly(1);
    } finally {
      callers.shutdownNow();
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  /** As many calls at once as the test pool has connections; each result, or the failure. */
  private static List<Object> burst(ExecutorService callers, Callable<?> call) throws Exception {
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < POOL_BURST; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return call.call();
                } catch (Exception e) {
                  return e;
                }
              },
              callers));
    }
    List<Object> results = new ArrayList<>();
    for (CompletableFuture<Object> c : calls) {
      results.add(c.get());
    }
    return results;
  }

  private static void assertUnavailable(ThrowingCallable call, int redisPort) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .contains("Redis")
                  .contains("127.0.0.1:" + redisPort);
            });
  }
}
