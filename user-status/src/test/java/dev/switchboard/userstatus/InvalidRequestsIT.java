package dev.switchboard.userstatus;

import static dev.switchboard.userstatus.InProcessUserStatus.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.internal.CheckTokenRevokedRequest;
import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.ListOnlineRequest;
import dev.switchboard.proto.internal.OfflineRequest;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.RenewRequest;
import dev.switchboard.proto.internal.RevokeTokenRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad requests get INVALID_ARGUMENT naming the field, and leave the stored data alone. */
@ExtendWith(InfraExtension.class)
class InvalidRequestsIT {

  private final EmbeddedRedis redis;
  private final TestIds ids = new TestIds();
  private InProcessUserStatus userStatus;

  InvalidRequestsIT(EmbeddedRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void startService() throws Exception {
    userStatus =
        InProcessUserStatus.start(
            redis.url(), new MutableClock(), InProcessUserStatus.TTL, ids.keyPrefix());
  }

  @AfterEach
  void stopService() throws Exception {
    userStatus.close();
  }

  @Test
  void onlineWithoutSessionOrWithBadFields_isInvalidArgument() {
    long user = ids.userId();
    assertInvalid(() -> userStatus.stub().online(OnlineRequest.getDefaultInstance()), "session");
    assertInvalid(
        () -> online(session(0, "phone", "conn-a", "s-1")), "session.user_id must be positive");
    assertInvalid(() -> online(session(-5, "phone", "conn-a", "s-1")), "session.user_id");
    assertInvalid(() -> online(session(user, "", "conn-a", "s-1")), "session.device_id");
    assertInvalid(() -> online(session(user, "phone", "", "s-1")), "session.connector_id");
    assertInvalid(() -> online(session(user, "phone", "conn-a", " ")), "session.session_id");
    assertInvalid(() -> online(session(user, "phone", "conn-a", "s|1")), "'|'");
    assertInvalid(
        () -> online(session(user, "x".repeat(129), "conn-a", "s-1")), "session.device_id");

    assertThat(userStatus.redis().exists(userStatus.keys().routes(user))).isFalse();
  }

  @Test
  void offlineWithoutSessionId_isInvalidArgument() {
    assertInvalid(
        () ->
            userStatus
                .stub()
                .offline(
                    OfflineRequest.newBuilder()
                        .setSession(session(ids.userId(), "phone", "conn-a", ""))
                        .build()),
        "session.session_id");
  }

  @Test
  void renewOfMoreThanTenThousandSessions_orForAnotherConnector_isInvalidArgument() {
    RenewRequest.Builder tooMany = RenewRequest.newBuilder().setConnectorId("conn-a");
    for (int i = 0; i < 10_001; i++) {
      tooMany.addSessions(session(ids.userId(), "phone", "", "s-" + i));
    }
    assertInvalid(() -> userStatus.stub().renew(tooMany.build()), "at most 10000");
    assertInvalid(
        () ->
            userStatus
                .stub()
                .renew(
                    RenewRequest.newBuilder()
                        .setConnectorId("conn-a")
                        .addSessions(session(ids.userId(), "phone", "conn-b", "s-1"))
                        .build()),
        "sessions[0].connector_id");
    assertInvalid(
        () ->
            userStatus
                .stub()
                .renew(
                    RenewRequest.newBuilder()
                        .addSessions(session(ids.userId(), "phone", "", "s-1"))
                        .build()),
        "connector_id is required");
  }

  @Test
  void getRoutesOfMoreThanTenThousandUsers_orOfUserZero_isInvalidArgument() {
    GetRoutesRequest tooMany =
        GetRoutesRequest.newBuilder()
            .addAllUserIds(LongStream.rangeClosed(1, 10_001).boxed().toList())
            .build();
    assertInvalid(() -> userStatus.stub().getRoutes(tooMany), "user_ids has 10001 entries");
    assertInvalid(
        () -> userStatus.stub().getRoutes(GetRoutesRequest.newBuilder().addUserIds(0).build()),
        "user_ids[0]");
  }

  @Test
  void listOnlineWithBadLimitOrCursor_isInvalidArgument() {
    assertInvalid(
        () -> userStatus.stub().listOnline(ListOnlineRequest.newBuilder().setLimit(-1).build()),
        "limit");
    assertInvalid(
        () -> userStatus.stub().listOnline(ListOnlineRequest.newBuilder().setLimit(10_001).build()),
        "limit");
    assertInvalid(
        () ->
            userStatus
                .stub()
                .listOnline(ListOnlineRequest.newBuilder().setCursor("not-a-cursor").build()),
        "cursor");
  }

  @Test
  void tokenCallsWithoutTokenIdOrExpiry_areInvalidArgument() {
    assertInvalid(
        () -> userStatus.stub().checkTokenRevoked(CheckTokenRevokedRequest.getDefaultInstance()),
        "token_id");
    assertInvalid(
        () ->
            userStatus
                .stub()
                .revokeToken(RevokeTokenRequest.newBuilder().setExpiresAtMs(1).build()),
        "token_id");
    assertInvalid(
        () ->
            userStatus.stub().revokeToken(RevokeTokenRequest.newBuilder().setTokenId("t").build()),
        "expires_at_ms");
  }

  private void online(dev.switchboard.proto.internal.SessionRoute session) {
    userStatus.stub().online(OnlineRequest.newBuilder().setSession(session).build());
  }

  private static void assertInvalid(ThrowingCallable call, String descriptionPart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains(descriptionPart);
            });
  }
}
