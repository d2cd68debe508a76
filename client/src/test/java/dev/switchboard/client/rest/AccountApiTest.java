package dev.switchboard.client.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.rest.CannedHttpServer.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountApiTest {

  private CannedHttpServer server;
  private AccountApi api;

  @BeforeEach
  void start() throws IOException {
    server = new CannedHttpServer();
    api = new AccountApi(server.baseUrl(), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void login_parsesTheSessionWithConnector_andPostsTheCredentials() {
    server.answer(
        "POST /api/v1/sessions",
        Answer.json(
            200,
            """
            {"userId":1001,"token":"tok.en","expiresAt":"2030-01-02T03:04:05Z",
             "connector":{"id":"conn-1","host":"127.0.0.1","port":7001},"extra":"ignored"}
            """));

    LoginSession session = api.login("alice", "password1", "laptop");

    assertThat(session.userId()).isEqualTo(1001);
    assertThat(session.token()).isEqualTo("tok.en");
    assertThat(session.expiresAt()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
    assertThat(session.connector()).isEqualTo(new ConnectorAddress("conn-1", "127.0.0.1", 7001));
    assertThat(session.toString()).doesNotContain("tok.en");
    assertThat(server.requests().get(0).body())
        .isEqualTo("{\"username\":\"alice\",\"password\":\"password1\",\"deviceId\":\"laptop\"}");
  }

  @Test
  void loginRefused_becomesApiExceptionWithStatusCodeAndDetail() {
    server.answer(
        "POST /api/v1/sessions", Answer.problem(401, "invalid-credentials", "wrong password"));

    assertThatThrownBy(() -> api.login("alice", "nope-nope", "d"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("invalid-credentials");
              assertThat(e.detail()).isEqualTo("wrong password");
              assertThat(e.title()).isEqualTo("Title of invalid-credentials");
              assertThat(e.request()).isEqualTo("POST /api/v1/sessions");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "POST /api/v1/sessions failed: 401 invalid-credentials (wrong password)");
            });
  }

  @Test
  void problemWithoutCode_takesTheCodeFromItsType() {
    server.answer(
        "POST /api/v1/users",
        Answer.json(
            409, "{\"type\":\"https://switchboard.dev/problems/username-taken\",\"status\":409}"));

    assertThatThrownBy(() -> api.register("alice", "password1", null))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("username-taken"));
  }

  @Test
  void errorBodyThatIsNotJson_becomesHttpStatusCode() {
    server.answer(
        "POST /api/v1/sessions",
        new Answer(502, "text/html", "<html>Bad Gateway</html>", Duration.ZERO));

    assertThatThrownBy(() -> api.login("alice", "password1", "d"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.code()).isEqualTo("http-502");
              assertThat(e.detail()).isEqualTo("<html>Bad Gateway</html>");
            });
  }

  @Test
  void register_sendsNicknameOnlyWhenGiven_andParsesTheUser() {
    server.answer(
        "POST /api/v1/users",
        Answer.json(201, "{\"userId\":7,\"username\":\"bob\",\"nickname\":\"Bobby\"}"));

    assertThat(api.register("bob", "password1", "Bobby"))
        .isEqualTo(new RegisteredUser(7, "bob", "Bobby"));
    api.register("bob", "password1", null);

    assertThat(server.requests().get(0).body()).contains("\"nickname\":\"Bobby\"");
    assertThat(server.requests().get(1).body()).doesNotContain("nickname");
  }

  @Test
  void findUserByUsername_sendsTheBearerToken_andMapsNotFoundToEmpty() {
    server.answer(
        "GET /api/v1/users?username=bob",
        Answer.json(200, "{\"userId\":1002,\"username\":\"bob\",\"nickname\":\"\"}"));
    server.answer(
        "GET /api/v1/users?username=carol", Answer.problem(404, "user-not-found", "no carol"));

    assertThat(api.findUserByUsername("tok", "bob")).contains(new UserProfile(1002, "bob", ""));
    assertThat(api.findUserByUsername("tok", "carol")).isEmpty();
    assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer tok");
  }

  @Test
  void otherErrorsOfALookup_areNotMistakenForNotFound() {
    server.answer("GET /api/v1/users/5", Answer.problem(401, "unauthorized", "token revoked"));

    assertThatThrownBy(() -> api.userById("tok", 5))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"));
  }

  @Test
  void presenceAndOnlineUsers_areParsed() {
    server.answer(
        "GET /api/v1/presence?userIds=1,2",
        Answer.json(
            200,
            "{\"presence\":[{\"userId\":1,\"online\":true},{\"userId\":2,\"online\":false}]}"));
    server.answer(
        "GET /api/v1/presence/online?limit=10",
        Answer.json(200, "{\"count\":3,\"users\":[{\"userId\":1,\"username\":\"al\"}]}"));

    assertThat(api.presence("tok", List.of(1L, 2L)))
        .containsExactly(new Presence(1, true), new Presence(2, false));
    OnlineUsers online = api.onlineUsers("tok", 10);
    assertThat(online.count()).isEqualTo(3);
    assertThat(online.users()).containsExactly(new UserProfile(1, "al", null));
  }

  @Test
  void me_andUpdateMe_readAndPatchTheOwnProfile_withAvatar() {
    server.answer(
        "GET /api/v1/users/me",
        Answer.json(
            200,
            "{\"userId\":1001,\"username\":\"alice\",\"nickname\":\"Al\","
                + "\"avatarUrl\":\"https://img/a.png\"}"));
    server.answer(
        "PATCH /api/v1/users/me",
        Answer.json(
            200,
            "{\"userId\":1001,\"username\":\"alice\",\"nickname\":\"Ally\","
                + "\"avatarUrl\":null}"));

    assertThat(api.me("tok")).isEqualTo(new UserProfile(1001, "alice", "Al", "https://img/a.png"));
    assertThat(api.updateMe("tok", "Ally", null)).isEqualTo(new UserProfile(1001, "alice", "Ally"));

    CannedHttpServer.Request patch = server.requests().get(1);
    assertThat(patch.method()).isEqualTo("PATCH");
    assertThat(patch.authorization()).isEqualTo("Bearer tok");
    assertThat(patch.body()).isEqualTo("{\"nickname\":\"Ally\"}");
  }

  @Test
  void friendRequests_areSentListedAndAnswered() {
    String request =
        """
        {"id":12,"fromUserId":1001,"toUserId":1002,"message":"hi","status":"%s",
         "createdAt":"2030-01-02T03:04:05.123Z"}
        """;
    server.answer("POST /api/v1/friend-requests", Answer.json(201, request.formatted("PENDING")));
    server.answer(
        "GET /api/v1/friend-requests?direction=in",
        Answer.json(200, "{\"requests\":[" + request.formatted("PENDING") + "]}"));
    server.answer(
        "GET /api/v1/friend-requests?direction=out", Answer.json(200, "{\"requests\":[]}"));
    server.answer(
        "POST /api/v1/friend-requests/12/accept", Answer.json(200, request.formatted("ACCEPTED")));
    server.answer(
        "POST /api/v1/friend-requests/12/reject", Answer.json(200, request.formatted("REJECTED")));
    server.answer(
        "POST /api/v1/friend-requests/12/cancel", Answer.json(200, request.formatted("CANCELLED")));

    FriendRequest sent = api.sendFriendRequest("tok", 1002, "hi");
    assertThat(sent)
        .isEqualTo(
            new FriendRequest(
                12, 1001, 1002, "hi", "PENDING", Instant.parse("2030-01-02T03:04:05.123Z")));
    assertThat(sent.isPending()).isTrue();
    assertThat(server.requests().get(0).body()).isEqualTo("{\"toUserId\":1002,\"message\":\"hi\"}");
    api.sendFriendRequest("tok", 1002, null);
    assertThat(server.requests().get(1).body()).isEqualTo("{\"toUserId\":1002}");

    assertThat(api.friendRequests("tok", FriendRequest.Direction.IN)).containsExactly(sent);
    assertThat(api.friendRequests("tok", FriendRequest.Direction.OUT)).isEmpty();
    assertThat(api.acceptFriendRequest("tok", 12).status()).isEqualTo(FriendRequest.ACCEPTED);
    assertThat(api.rejectFriendRequest("tok", 12).status()).isEqualTo(FriendRequest.REJECTED);
    assertThat(api.cancelFriendRequest("tok", 12).status()).isEqualTo(FriendRequest.CANCELLED);
    assertThat(server.requests())
        .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer tok"));
  }

  @Test
  void friendsAndBlocks_areListedAndChanged() {
    server.answer(
        "GET /api/v1/friends",
        Answer.json(
            200,
            """
            {"friends":[{"userId":1002,"username":"bob","nickname":"Bobby","avatarUrl":null,
              "online":true,"since":"2030-01-01T00:00:00Z"}]}
            """));
    server.answer("DELETE /api/v1/friends/1002", new Answer(204, "text/plain", "", Duration.ZERO));
    server.answer("PUT /api/v1/blocks/1003", new Answer(204, "text/plain", "", Duration.ZERO));
    server.answer("DELETE /api/v1/blocks/1003", new Answer(204, "text/plain", "", Duration.ZERO));
    server.answer(
        "GET /api/v1/blocks",
        Answer.json(
            200, "{\"blocked\":[{\"userId\":1003,\"username\":\"carol\",\"nickname\":null}]}"));

    assertThat(api.friends("tok"))
        .containsExactly(
            new Friend(1002, "bob", "Bobby", null, true, Instant.parse("2030-01-01T00:00:00Z")));
    api.removeFriend("tok", 1002);
    api.block("tok", 1003);
    api.unblock("tok", 1003);
    assertThat(api.blockedUsers("tok")).containsExactly(new BlockedUser(1003, "carol", null));
    assertThat(server.requests())
        .extracting(CannedHttpServer.Request::method)
        .containsExactly("GET", "DELETE", "PUT", "DELETE", "GET");
  }

  @Test
  void socialCallRefused_isAnApiExceptionWithTheProblemCode() {
    server.answer(
        "POST /api/v1/friend-requests", Answer.problem(409, "already-friends", "you are friends"));

    assertThatThrownBy(() -> api.sendFriendRequest("tok", 1002, null))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.code()).isEqualTo("already-friends");
            });
  }

  @Test
  void logout_sendsDeleteWithToken_andAccepts204() {
    server.answer(
        "DELETE /api/v1/sessions/current", new Answer(204, "text/plain", "", Duration.ZERO));

    api.logout("tok");

    assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer tok");
  }

  @Test
  void baseUrlWithApiPrefixOrTrailingSlash_isAccepted() {
    server.answer("GET /api/v1/users/1", Answer.json(200, "{\"userId\":1,\"username\":\"al\"}"));
    AccountApi withPrefix = new AccountApi(URI.create(server.baseUrl() + "/api/v1/"));

    assertThat(withPrefix.userById("t", 1)).isPresent();
    assertThat(withPrefix.baseUrl()).isEqualTo(server.baseUrl());
  }

  @Test
  void serverNotListening_isUnreachableWithConnectionRefused() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AccountApi nobody = new AccountApi(URI.create("http://127.0.0.1:" + port));

    assertThatThrownBy(() -> nobody.login("a", "b", "c"))
        .isInstanceOf(ApiUnreachableException.class)
        .hasMessage(
            "cannot reach account-api at http://127.0.0.1:" + port + ": connection refused");
  }

  @Test
  void serverNotAnsweringInTime_isUnreachableWithTimeout() {
    server.answer("GET /api/v1/users/1", Answer.json(200, "{\"userId\":1,\"username\":\"al\"}"));
    server.answer(
        "GET /api/v1/users/2", new Answer(200, "application/json", "{}", Duration.ofSeconds(5)));
    // Warm up (class loading, a pooled connection) so that only the answer can be late.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    new AccountApi(server.baseUrl(), http, Duration.ofSeconds(10)).userById("t", 1);
    AccountApi impatient = new AccountApi(server.baseUrl(), http, Duration.ofMillis(300));

    assertThatThrownBy(() -> impatient.userById("t", 2))
        .isInstanceOf(ApiUnreachableException.class)
        .hasMessageEndingWith("no answer within 300ms");
  }

  @Test
  void asyncCalls_failTheFutureInsteadOfThrowing() {
    server.answer("POST /api/v1/sessions", Answer.problem(503, "no-connector-available", "none"));

    assertThat(api.loginAsync("a", "password1", "d"))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ApiException.class)
        .withMessageContaining("503 no-connector-available");
  }
}
