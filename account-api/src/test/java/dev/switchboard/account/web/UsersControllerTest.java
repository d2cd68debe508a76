package dev.switchboard.account.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.switchboard.account.user.LookupResult;
import dev.switchboard.account.user.ProfileChange;
import dev.switchboard.account.user.PublicProfile;
import dev.switchboard.account.user.RegistrationResult;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class UsersControllerTest extends WebSliceTest {

  @Test
  void register_answers201WithTheProfile() {
    given(users.register("alice", "password123", "Alice"))
        .willReturn(
            new RegistrationResult.Registered(new PublicProfile(7, "alice", "Alice", null)));

    assertThat(
            mvc.post()
                .uri("/api/v1/users")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"username":"alice","password":"password123","nickname":"Alice"}"""))
        .hasStatus(HttpStatus.CREATED)
        .hasHeader(HttpHeaders.LOCATION, "/api/v1/users/7")
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"userId":7,"username":"alice","nickname":"Alice"}""");
  }

  @Test
  void databaseOutOfConnections_is503WithRetryAfter_notA500() {
    given(users.register(any(), any(), any()))
        .willThrow(
            new org.springframework.jdbc.CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection"));

    assertThat(
            mvc.post()
                .uri("/api/v1/users")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"username":"alice","password":"password123"}"""))
        .hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
        .hasHeader(HttpHeaders.RETRY_AFTER, "1")
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"status":503,"code":"dependency-unavailable"}""");
  }

  @Test
  void registerWithTakenName_is409UsernameTaken() {
    given(users.register(any(), any(), any()))
        .willReturn(new RegistrationResult.UsernameTaken("alice"));

    assertThat(
            mvc.post()
                .uri("/api/v1/users")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"username":"alice","password":"password123"}"""))
        .hasStatus(HttpStatus.CONFLICT)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"type":"https://switchboard.dev/problems/username-taken","status":409,
             "code":"username-taken","title":"Username taken"}""");
  }

  @Test
  void registerWithInvalidFields_is400ValidationFailedNamingEachField() {
    assertThat(
            mvc.post()
                .uri("/api/v1/users")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"username":"a b","password":"short","nickname":"%s"}"""
                        .formatted("n".repeat(65))))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .satisfies(
            json -> {
              assertThat(json).extractingPath("$.code").isEqualTo("validation-failed");
              assertThat(json)
                  .extractingPath("$.type")
                  .isEqualTo("https://switchboard.dev/problems/validation-failed");
              assertThat(json)
                  .extractingPath("$.errors[*].field")
                  .asArray()
                  .containsExactlyInAnyOrder("username", "password", "nickname");
            });
    verifyNoInteractions(users);
  }

  @Test
  void registerWithoutPassword_is400() {
    assertThat(
            mvc.post()
                .uri("/api/v1/users")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"username\":\"alice\"}"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("password");
  }

  @Test
  void malformedJson_is400MalformedRequestProblem() {
    assertThat(
            mvc.post()
                .uri("/api/v1/users")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"username\": \"alice\", "))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"type":"https://switchboard.dev/problems/malformed-request","status":400,
             "code":"malformed-request"}""");
    verifyNoInteractions(users);
  }

  @Test
  void wrongJsonType_is400MalformedRequest() {
    assertThat(
            mvc.post()
                .uri("/api/v1/users")
                .contentType(MediaType.APPLICATION_JSON)
                .content("[1,2,3]"))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("malformed-request");
  }

  @Test
  void nonJsonBody_is415Problem() {
    assertThat(
            mvc.post()
                .uri("/api/v1/users")
                .contentType(MediaType.TEXT_PLAIN)
                .content("username=alice"))
        .hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("unsupported-media-type");
  }

  @Test
  void byId_returnsTheProfile() {
    given(users.findVisible(42, 7))
        .willReturn(Optional.of(new PublicProfile(7, "alice", "Alice", null)));

    assertThat(mvc.get().uri("/api/v1/users/7").header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"userId":7,"username":"alice","nickname":"Alice","avatarUrl":null}""");
  }

  @Test
  void byUnknownId_is404UserNotFound() {
    given(users.findVisible(42, 8)).willReturn(Optional.empty());

    assertThat(mvc.get().uri("/api/v1/users/8").header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.NOT_FOUND)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("user-not-found");
  }

  @Test
  void byNonNumericId_is400() {
    assertThat(mvc.get().uri("/api/v1/users/abc").header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
  }

  @Test
  void byUsername_returnsTheProfile() {
    given(users.lookupByUsername(42, "bob"))
        .willReturn(new LookupResult.Found(new PublicProfile(9, "bob", "Bob", null)));

    assertThat(
            mvc.get()
                .uri("/api/v1/users")
                .param("username", "bob")
                .header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatusOk()
        .bodyJson()
        .extractingPath("$.userId")
        .isEqualTo(9);
  }

  @Test
  void byUsernameWithoutTheParameter_is400() {
    assertThat(mvc.get().uri("/api/v1/users").header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.BAD_REQUEST)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("validation-failed");
  }

  @Test
  void lookupWithoutBearer_is401Unauthorized() {
    assertThat(mvc.get().uri("/api/v1/users/7"))
        .hasStatus(HttpStatus.UNAUTHORIZED)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"type":"https://switchboard.dev/problems/unauthorized","status":401,
             "code":"unauthorized"}""");
    verifyNoInteractions(users);
  }

  @Test
  void lookupWithBadBearer_is401Unauthorized() {
    assertThat(mvc.get().uri("/api/v1/users/7").header(HttpHeaders.AUTHORIZATION, "Bearer forged"))
        .hasStatus(HttpStatus.UNAUTHORIZED)
        .bodyJson()
        .extractingPath("$.code")
        .isEqualTo("unauthorized");
  }

  @Test
  void byUsernameMissOrHidden_is404UserNotFound() {
    given(users.lookupByUsername(42, "ghost")).willReturn(new LookupResult.NotFound());

    assertThat(
            mvc.get()
                .uri("/api/v1/users")
                .param("username", "ghost")
                .header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.NOT_FOUND)
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"code":"user-not-found","detail":"no user with username 'ghost'"}""");
  }

  @Test
  void byUsernameOverTheRateLimit_is429WithRetryAfter() {
    given(users.lookupByUsername(42, "bob"))
        .willReturn(new LookupResult.RateLimited(Duration.ofMillis(1500)));

    assertThat(
            mvc.get()
                .uri("/api/v1/users")
                .param("username", "bob")
                .header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatus(HttpStatus.TOO_MANY_REQUESTS)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
        .hasHeader(HttpHeaders.RETRY_AFTER, "2")
        .bodyJson()
        .isLenientlyEqualTo(
            """
            {"type":"https://switchboard.dev/problems/rate-limited","status":429,
             "code":"rate-limited"}""");
  }

  @Test
  void me_answersTheCallersProfile() {
    given(users.me(42))
        .willReturn(Optional.of(new PublicProfile(42, "me", "Me", "https://img.example/me.png")));

    assertThat(mvc.get().uri("/api/v1/users/me").header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"userId":42,"username":"me","nickname":"Me","avatarUrl":"https://img.example/me.png"}""");
  }

  @Test
  void patchMe_passesOnlyTheGivenFields() {
    given(users.updateProfile(42, new ProfileChange("New name", null)))
        .willReturn(Optional.of(new PublicProfile(42, "me", "New name", null)));

    assertThat(
            mvc.patch()
                .uri("/api/v1/users/me")
                .header(HttpHeaders.AUTHORIZATION, bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"nickname":"New name"}"""))
        .hasStatusOk()
        .bodyJson()
        .extractingPath("$.nickname")
        .isEqualTo("New name");
  }

  @Test
  void patchMeWithEmptyAvatar_removesIt() {
    given(users.updateProfile(42, new ProfileChange(null, "")))
        .willReturn(Optional.of(new PublicProfile(42, "me", "Me", null)));

    assertThat(
            mvc.patch()
                .uri("/api/v1/users/me")
                .header(HttpHeaders.AUTHORIZATION, bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    {"avatarUrl":""}"""))
        .hasStatusOk();
  }

  @Test
  void patchMeWithInvalidFields_is400NamingEachField() {
    for (String body :
        new String[] {
          "{\"nickname\":\"\"}",
          "{\"nickname\":\"   \"}",
          "{\"nickname\":\"%s\"}".formatted("n".repeat(65)),
          "{\"nickname\":\"bad\\u0007bell\"}",
          "{\"avatarUrl\":\"ftp://files.example/a.png\"}",
          "{\"avatarUrl\":\"not a url\"}",
          "{\"avatarUrl\":\"/relative/a.png\"}",
          "{\"avatarUrl\":\"https://user:pw@img.example/a.png\"}",
          "{\"avatarUrl\":\"https://img.example/%s\"}".formatted("a".repeat(500)),
        }) {
      assertThat(
              mvc.patch()
                  .uri("/api/v1/users/me")
                  .header(HttpHeaders.AUTHORIZATION, bearer())
                  .contentType(MediaType.APPLICATION_JSON)
                  .content(body))
          .as(body)
          .hasStatus(HttpStatus.BAD_REQUEST)
          .hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
          .bodyJson()
          .extractingPath("$.code")
          .isEqualTo("validation-failed");
    }
    verifyNoInteractions(users);
  }

  @Test
  void patchMeWithoutBearer_is401() {
    assertThat(
            mvc.patch()
                .uri("/api/v1/users/me")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"nickname\":\"x\"}"))
        .hasStatus(HttpStatus.UNAUTHORIZED);
    verifyNoInteractions(users);
  }
}
