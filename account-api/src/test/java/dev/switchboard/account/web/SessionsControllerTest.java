package dev.switchboard.account.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.switchboard.account.grpc.DependencyUnavailableException;
import dev.switchboard.account.session.ConnectorAddress;
import dev.switchboard.account.session.LoginResult;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class SessionsControllerTest extends WebSliceTest {
  private static final String LOGIN =
      """
      {"username":"alice","password":"password123","deviceId":"laptop"}""";

  @Test
  void login_answersTokenExpiryAsIsoStringAndTheConnector() {
    given(sessions.login("alice", "password123", "laptop"))
        .willReturn(
            new LoginResult.LoggedIn(
                7,
                "jwt",
                Instant.parse("2030-01-02T03:04:05Z"),
                new ConnectorAddress("conn-1", "127.0.0.1", 7001)));

    assertThat(
            mvc.post()
                .uri("/api/v1/sessions")
                .contentType(MediaType.APPLICATION_JSON)
                .content(LOGIN))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"userId":7,"token":"jwt","expiresAt":"2030-01-02T03:04:05Z",
             "connector":{"id":"conn-1","host":"127.0.0.1","port":7001}}""");
  }

  @Test
  void loginWithBadCredentials_is401InvalidCredentials() {
    given(sessions.login(any(), any(), any())).willReturn(new LoginResult.InvalidCredentials());

    assertThat(
            mvc.post()
                .uri("/api/v1/sessions")
                .contentType(MediaType.APPLICATION_JSON)
                .content(LOGIN))
        .hasStatus(HttpStatus.UNAUTHORIZED)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("invalid-credentials");
  }

  @Test
  void loginWithoutConnector_is503NoConnectorAvailable() {
    given(sessions.login(any(), any(), any())).willReturn(new LoginResult.NoConnectorAvailable());

    assertThat(
            mvc.post()
                .uri("/api/v1/sessions")
                .contentType(MediaType.APPLICATION_JSON)
                .content(LOGIN))
        .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("no-connector-available");
  }

  @Test
  void loginWithoutDeviceId_is400() {
    assertThat(
            mvc.post()
                .uri("/api/v1/sessions")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"username":"alice","password":"password123","deviceId":""}"""))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("deviceId");
    verifyNoInteractions(sessions);
  }

  @Test
  void loginWithTooLongDeviceId_is400() {
    assertThat(
            mvc.post()
                .uri("/api/v1/sessions")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"username":"alice","password":"password123","deviceId":"%s"}"""
                        .formatted("d".repeat(65))))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
  }

  @Test
  void logout_is204AndLogsOutTheTokensSession() {
    assertThat(
            mvc.delete()
                .uri("/api/v1/sessions/current")
                .header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.NO_CONTENT);
    verify(sessions).logout(SESSION);
  }

  @Test
  void logoutWithoutBearer_is401() {
    assertThat(mvc.delete().uri("/api/v1/sessions/current"))
        .hasStatus(HttpStatus.UNAUTHORIZED)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("unauthorized");
    verifyNoInteractions(sessions);
  }

  @Test
  void logoutWhileUserStatusIsDown_is503WithRetryAfter() {
    willThrow(new DependencyUnavailableException("user-status", "down", null))
        .given(sessions)
        .logout(SESSION);

    assertThat(
            mvc.delete()
                .uri("/api/v1/sessions/current")
                .header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
        .hasHeader(HttpHeaders.RETRY_AFTER, "1")
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("dependency-unavailable");
  }

  @Test
  void wrongMethod_is405Problem() {
    assertThat(
            mvc.get().uri("/api/v1/sessions/current").header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("method-not-allowed");
  }

  @Test
  void unknownPath_is404Problem() {
    assertThat(mvc.get().uri("/api/v1/nothing-here").header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.NOT_FOUND)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("not-found");
  }
}
