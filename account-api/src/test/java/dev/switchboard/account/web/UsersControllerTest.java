package dev.switchboard.account.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.switchboard.account.user.PublicProfile;
import dev.switchboard.account.user.RegistrationResult;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class UsersControllerTest extends WebSliceTest {

  @Test
  void register_answers201WithTheProfile() {
    given(users.register("alice", "password123", "Alice"))
        .willReturn(new RegistrationResult.Registered(new PublicProfile(7, "alice", "Alice")));

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
    given(users.findById(7)).willReturn(Optional.of(new PublicProfile(7, "alice", "Alice")));

    assertThat(mvc.get().uri("/api/v1/users/7").header(HttpHeaders.AUTHORIZATION, bearer()))
        .hasStatusOk()
        .bodyJson()
        .isStrictlyEqualTo(
            """
            {"userId":7,"username":"alice","nickname":"Alice"}""");
  }

  @Test
  void byUnknownId_is404UserNotFound() {
    given(users.findById(8)).willReturn(Optional.empty());

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
    given(users.findByUsername("bob")).willReturn(Optional.of(new PublicProfile(9, "bob", "Bob")));

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
}
