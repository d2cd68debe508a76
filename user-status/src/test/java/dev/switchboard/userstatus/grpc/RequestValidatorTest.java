package dev.switchboard.userstatus.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.ListOnlineRequest;
import dev.switchboard.proto.internal.RenewRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.userstatus.store.OnlineCursor;
import dev.switchboard.userstatus.store.Route;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

  private final RequestValidator validator = new RequestValidator();

  private static SessionRoute session(long user, String device, String connector, String id) {
    return SessionRoute.newBuilder()
        .setUserId(user)
        .setDeviceId(device)
        .setConnectorId(connector)
        .setSessionId(id)
        .setExpiresAtMs(999)
        .build();
  }

  @Test
  void validOnlineSession_becomesARouteWithoutTheCallersExpiry() {
    Route route = validator.onlineSession(true, session(7, "phone", "conn-a", "s-1"));

    assertThat(route).isEqualTo(new Route(7, "phone", "conn-a", "s-1", 0));
  }

  @Test
  void onlineSession_requiresEveryField() {
    assertRejected(
        () -> validator.onlineSession(false, SessionRoute.getDefaultInstance()),
        "session is required");
    assertRejected(
        () -> validator.onlineSession(true, session(0, "p", "c", "s")),
        "session.user_id must be positive: 0");
    assertRejected(
        () -> validator.onlineSession(true, session(-1, "p", "c", "s")), "session.user_id");
    assertRejected(
        () -> validator.onlineSession(true, session(1, "", "c", "s")),
        "session.device_id is required");
    assertRejected(
        () -> validator.onlineSession(true, session(1, "p", "", "s")),
        "session.connector_id is required");
    assertRejected(
        () -> validator.onlineSession(true, session(1, "p", "c", "")),
        "session.session_id is required");
  }

  @Test
  void idsThatWouldBreakTheStoredValue_orAreTooLong_areRejected() {
    assertRejected(
        () -> validator.onlineSession(true, session(1, "p", "c|x", "s")),
        "session.connector_id may not contain '|'");
    assertRejected(
        () -> validator.onlineSession(true, session(1, "p", "c", "s|x")),
        "session.session_id may not contain '|'");
    assertRejected(
        () -> validator.onlineSession(true, session(1, "p", "c".repeat(129), "s")),
        "longer than 128");
    // The device id is the hash field, not part of the value.
    assertThat(validator.onlineSession(true, session(1, "p|x", "c", "s")).deviceId())
        .isEqualTo("p|x");
  }

  @Test
  void offlineSession_doesNotNeedTheConnector() {
    Route route = validator.offlineSession(true, session(7, "phone", "", "s-1"));

    assertThat(route.sessionId()).isEqualTo("s-1");
  }

  @Test
  void renewSessions_takeTheRequestsConnector() {
    RenewRequest request =
        RenewRequest.newBuilder()
            .setConnectorId("conn-a")
            .addSessions(session(1, "p", "", "s-1"))
            .addSessions(session(2, "p", "conn-a", "s-2"))
            .build();

    assertThat(validator.renewSessions(request))
        .extracting(Route::connectorId)
        .containsExactly("conn-a", "conn-a");
  }

  @Test
  void renewSessions_ofAnotherConnector_orTooMany_areRejected() {
    assertRejected(
        () ->
            validator.renewSessions(
                RenewRequest.newBuilder()
                    .setConnectorId("conn-a")
                    .addSessions(session(1, "p", "conn-b", "s-1"))
                    .build()),
        "sessions[0].connector_id 'conn-b' is not the request's");
    RenewRequest.Builder tooMany = RenewRequest.newBuilder().setConnectorId("conn-a");
    for (int i = 0; i < RequestValidator.MAX_BATCH + 1; i++) {
      tooMany.addSessions(session(i + 1, "p", "", "s"));
    }
    assertRejected(() -> validator.renewSessions(tooMany.build()), "sessions has 10001 entries");
    assertRejected(
        () ->
            validator.renewSessions(
                RenewRequest.newBuilder()
                    .setConnectorId("conn-a")
                    .addSessions(session(1, "p", "", "s"))
                    .addSessions(session(0, "p", "", "s"))
                    .build()),
        "sessions[1].user_id");
  }

  @Test
  void userIds_upToTheBatchLimit_areAccepted() {
    GetRoutesRequest full =
        GetRoutesRequest.newBuilder()
            .addAllUserIds(LongStream.rangeClosed(1, RequestValidator.MAX_BATCH).boxed().toList())
            .build();

    assertThat(validator.userIds(full)).hasSize(RequestValidator.MAX_BATCH);
    assertRejected(
        () ->
            validator.userIds(full.toBuilder().addUserIds(RequestValidator.MAX_BATCH + 1).build()),
        "at most 10000");
    assertRejected(
        () -> validator.userIds(GetRoutesRequest.newBuilder().addUserIds(3).addUserIds(-3).build()),
        "user_ids[1] must be positive");
  }

  @Test
  void listLimit_defaultsWhenZero_andIsBounded() {
    assertThat(validator.listLimit(ListOnlineRequest.getDefaultInstance()))
        .isEqualTo(RequestValidator.DEFAULT_LIST_LIMIT);
    assertThat(validator.listLimit(ListOnlineRequest.newBuilder().setLimit(10_000).build()))
        .isEqualTo(10_000);
    assertRejected(
        () -> validator.listLimit(ListOnlineRequest.newBuilder().setLimit(10_001).build()),
        "limit");
    assertRejected(
        () -> validator.listLimit(ListOnlineRequest.newBuilder().setLimit(-1).build()), "limit");
  }

  @Test
  void listCursor_isNullOnTheFirstPage_andMustBeOneWeIssued() {
    assertThat(validator.listCursor(ListOnlineRequest.getDefaultInstance())).isNull();
    assertThat(validator.listCursor(ListOnlineRequest.newBuilder().setCursor("5:7").build()))
        .isEqualTo(new OnlineCursor(5, 7));
    assertRejected(
        () -> validator.listCursor(ListOnlineRequest.newBuilder().setCursor("x").build()),
        "cursor is not a next_cursor");
  }

  @Test
  void tokenFields_areRequired() {
    assertThat(validator.tokenId("jti-1")).isEqualTo("jti-1");
    assertRejected(() -> validator.tokenId(""), "token_id is required");
    assertRejected(() -> validator.tokenId("t".repeat(257)), "token_id is longer");
    assertRejected(() -> validator.tokenExpiry(0), "expires_at_ms is required");
  }

  private static void assertRejected(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(message);
  }
}
