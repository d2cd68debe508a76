package dev.switchboard.userstatus;

import static dev.switchboard.userstatus.InProcessUserStatus.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Redis is down" must never read as "offline" or "not revoked". Uses a Redis of its own, because
 * it stops it.
 */
class RedisDownIT {

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
