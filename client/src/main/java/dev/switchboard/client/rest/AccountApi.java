package dev.switchboard.client.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Client of account-api's REST contract ({@code /api/v1}): register, login, logout, profiles,
 * presence, friends, friend requests and blocks.
 *
 * <p>Every call exists twice: {@code xxxAsync} returns a future and never blocks (the benchmark
 * logs in thousands of users with it); {@code xxx} waits for it. Both fail with {@link
 * ApiException} for an error answer (problem JSON) and {@link ApiUnreachableException} when the
 * server cannot be reached or does not answer within the request timeout. "Not found" lookups
 * return an empty {@link Optional} instead.
 *
 * <p>Thread-safe; share one instance (each instance owns one {@link HttpClient}, i.e. one selector
 * thread and a connection pool).
 */
public final class AccountApi {

  /** Default for {@link #AccountApi(URI)}: generous for a login under load, short for a human. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final String PROBLEM_TYPE_PREFIX = "https://switchboard.dev/problems/";
  private static final String CODE_USER_NOT_FOUND = "user-not-found";

  private final URI baseUrl;
  private final String apiRoot;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final ObjectMapper json;

  /** Talks to the account-api at {@code baseUrl} (e.g. {@code http://127.0.0.1:8080}). */
  public AccountApi(URI baseUrl) {
    this(baseUrl, DEFAULT_REQUEST_TIMEOUT);
  }

  public AccountApi(URI baseUrl, Duration requestTimeout) {
    this(
        baseUrl,
        HttpClient.newBuilder()
            // Plain HTTP/1.1: no h2c upgrade dance with the servlet container.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(requestTimeout)
            .build(),
        requestTimeout);
  }

  /**
   * @param baseUrl the server root; a trailing {@code /api/v1} is accepted too
   * @param http shared HTTP client (its connect timeout applies to connecting)
   * @param requestTimeout bound on every request, answer included
   */
  public AccountApi(URI baseUrl, HttpClient http, Duration requestTimeout) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String root = baseUrl.toString();
    while (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    if (root.endsWith("/api/v1")) {
      root = root.substring(0, root.length() - "/api/v1".length());
    }
    this.baseUrl = URI.create(root);
    this.apiRoot = root + "/api/v1";
    this.http = Objects.requireNonNull(http, "http");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  public URI baseUrl() {
    return baseUrl;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  // ---- async API -------------------------------------------------------------------------------

  /** {@code POST /users}; {@code nickname} may be null. 409 "username-taken", 400 on bad input. */
  public CompletableFuture<RegisteredUser> registerAsync(
      String username, String password, String nickname) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", username);
    body.put("password", password);
    if (nickname != null) {
      body.put("nickname", nickname);
    }
    return call("POST", "/users", null, body, type(RegisteredUser.class));
  }

  /** {@code POST /sessions}. 401 "invalid-credentials", 503 "no-connector-available". */
  public CompletableFuture<LoginSession> loginAsync(
      String username, String password, String deviceId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", username);
    body.put("password", password);
    body.put("deviceId", deviceId);
    return call("POST", "/sessions", null, body, type(LoginSession.class));
  }

  /** {@code DELETE /sessions/current}: revokes the token and kicks that device. */
  public CompletableFuture<Void> logoutAsync(String token) {
    return call("DELETE", "/sessions/current", token, null, null);
  }

  /** {@code GET /users?username=}; empty if no such user. */
  public CompletableFuture<Optional<UserProfile>> findUserByUsernameAsync(
      String token, String username) {
    return optional(
        call(
            "GET",
            "/users?username=" + URLEncoder.encode(username, StandardCharsets.UTF_8),
            token,
            null,
            type(UserProfile.class)));
  }

  /** {@code GET /users/{id}}; empty if no such user. */
  public CompletableFuture<Optional<UserProfile>> userByIdAsync(String token, long userId) {
    return optional(call("GET", "/users/" + userId, token, null, type(UserProfile.class)));
  }

  /** {@code GET /presence/online?limit=}. */
  public CompletableFuture<OnlineUsers> onlineUsersAsync(String token, int limit) {
    return call("GET", "/presence/online?limit=" + limit, token, null, type(OnlineUsers.class));
  }

  /** {@code GET /presence?userIds=}: one entry per requested user. */
  public CompletableFuture<List<Presence>> presenceAsync(String token, Collection<Long> userIds) {
    String ids = userIds.stream().map(String::valueOf).collect(Collectors.joining(","));
    return this.<PresenceList>call(
            "GET", "/presence?userIds=" + ids, token, null, type(PresenceList.class))
        .thenApply(PresenceList::presence);
  }

  /** {@code GET /users/me}: the caller's own profile. */
  public CompletableFuture<UserProfile> meAsync(String token) {
    return call("GET", "/users/me", token, null, type(UserProfile.class));
  }

  /**
   * {@code PATCH /users/me}: changes the fields that are not null. Completes with the updated
   * profile, or null if the server answers without a body (204).
   */
  public CompletableFuture<UserProfile> updateMeAsync(
      String token, String nickname, String avatarUrl) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (nickname != null) {
      body.put("nickname", nickname);
    }
    if (avatarUrl != null) {
      body.put("avatarUrl", avatarUrl);
    }
    return call("PATCH", "/users/me", token, body, type(UserProfile.class));
  }

  /**
   * {@code POST /friend-requests}: asks {@code toUserId} to become friends; {@code message} may be
   * null. A repeated request answers the existing one (200 instead of 201).
   */
  public CompletableFuture<FriendRequest> sendFriendRequestAsync(
      String token, long toUserId, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("toUserId", toUserId);
    if (message != null) {
      body.put("message", message);
    }
    return call("POST", "/friend-requests", token, body, type(FriendRequest.class));
  }

  /** {@code GET /friend-requests?direction=in|out}. */
  public CompletableFuture<List<FriendRequest>> friendRequestsAsync(
      String token, FriendRequest.Direction direction) {
    return this.<FriendRequestList>call(
            "GET",
            "/friend-requests?direction=" + direction.query(),
            token,
            null,
            type(FriendRequestList.class))
        .thenApply(FriendRequestList::requests);
  }

  /** {@code POST /friend-requests/{id}/accept}: the two are friends from now on. */
  public CompletableFuture<FriendRequest> acceptFriendRequestAsync(String token, long requestId) {
    return friendRequestAction(token, requestId, "accept");
  }

  /** {@code POST /friend-requests/{id}/reject}. */
  public CompletableFuture<FriendRequest> rejectFriendRequestAsync(String token, long requestId) {
    return friendRequestAction(token, requestId, "reject");
  }

  /** {@code POST /friend-requests/{id}/cancel}: withdraws a request this user sent. */
  public CompletableFuture<FriendRequest> cancelFriendRequestAsync(String token, long requestId) {
    return friendRequestAction(token, requestId, "cancel");
  }

  /** {@code GET /friends}: the friend list with each friend's presence. */
  public CompletableFuture<List<Friend>> friendsAsync(String token) {
    return this.<FriendList>call("GET", "/friends", token, null, type(FriendList.class))
        .thenApply(FriendList::friends);
  }

  /** {@code DELETE /friends/{userId}}: ends the friendship (for both). */
  public CompletableFuture<Void> removeFriendAsync(String token, long userId) {
    return call("DELETE", "/friends/" + userId, token, null, null);
  }

  /** {@code PUT /blocks/{userId}}: no messages either way from now on. Idempotent. */
  public CompletableFuture<Void> blockAsync(String token, long userId) {
    return call("PUT", "/blocks/" + userId, token, null, null);
  }

  /** {@code DELETE /blocks/{userId}}. Idempotent. */
  public CompletableFuture<Void> unblockAsync(String token, long userId) {
    return call("DELETE", "/blocks/" + userId, token, null, null);
  }

  /** {@code GET /blocks}: the users this user blocked. */
  public CompletableFuture<List<BlockedUser>> blockedUsersAsync(String token) {
    return this.<BlockedList>call("GET", "/blocks", token, null, type(BlockedList.class))
        .thenApply(BlockedList::blocked);
  }

  // ---- blocking API ----------------------------------------------------------------------------

  public RegisteredUser register(String username, String password, String nickname) {
    return await(registerAsync(username, password, nickname));
  }

  public LoginSession login(String username, String password, String deviceId) {
    return await(loginAsync(username, password, deviceId));
  }

  public void logout(String token) {
    await(logoutAsync(token));
  }

  public Optional<UserProfile> findUserByUsername(String token, String username) {
    return await(findUserByUsernameAsync(token, username));
  }

  public Optional<UserProfile> userById(String token, long userId) {
    return await(userByIdAsync(token, userId));
  }

  public OnlineUsers onlineUsers(String token, int limit) {
    return await(onlineUsersAsync(token, limit));
  }

  public List<Presence> presence(String token, Collection<Long> userIds) {
    return await(presenceAsync(token, userIds));
  }

  public UserProfile me(String token) {
    return await(meAsync(token));
  }

  public UserProfile updateMe(String token, String nickname, String avatarUrl) {
    return await(updateMeAsync(token, nickname, avatarUrl));
  }

  public FriendRequest sendFriendRequest(String token, long toUserId, String message) {
    return await(sendFriendRequestAsync(token, toUserId, message));
  }

  public List<FriendRequest> friendRequests(String token, FriendRequest.Direction direction) {
    return await(friendRequestsAsync(token, direction));
  }

  public FriendRequest acceptFriendRequest(String token, long requestId) {
    return await(acceptFriendRequestAsync(token, requestId));
  }

  public FriendRequest rejectFriendRequest(String token, long requestId) {
    return await(rejectFriendRequestAsync(token, requestId));
  }

  public FriendRequest cancelFriendRequest(String token, long requestId) {
    return await(cancelFriendRequestAsync(token, requestId));
  }

  public List<Friend> friends(String token) {
    return await(friendsAsync(token));
  }

  public void removeFriend(String token, long userId) {
    await(removeFriendAsync(token, userId));
  }

  public void block(String token, long userId) {
    await(blockAsync(token, userId));
  }

  public void unblock(String token, long userId) {
    await(unblockAsync(token, userId));
  }

  public List<BlockedUser> blockedUsers(String token) {
    return await(blockedUsersAsync(token));
  }

  /**
   * Waits for a future of this API and rethrows its failure unwrapped ({@link ApiException}, {@link
   * ApiUnreachableException}, ...).
   */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof java.lang.Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private record PresenceList(List<Presence> presence) {
    PresenceList {
      presence = presence == null ? List.of() : List.copyOf(presence);
    }
  }

  private record FriendRequestList(List<FriendRequest> requests) {
    FriendRequestList {
      requests = requests == null ? List.of() : List.copyOf(requests);
    }
  }

  private record FriendList(List<Friend> friends) {
    FriendList {
      friends = friends == null ? List.of() : List.copyOf(friends);
    }
  }

  private record BlockedList(List<BlockedUser> blocked) {
    BlockedList {
      blocked = blocked == null ? List.of() : List.copyOf(blocked);
    }
  }

  private CompletableFuture<FriendRequest> friendRequestAction(
      String token, long requestId, String action) {
    return call(
        "POST",
        "/friend-requests/" + requestId + "/" + action,
        token,
        null,
        type(FriendRequest.class));
  }

  private JavaType type(Class<?> cls) {
    return json.constructType(cls);
  }

  private static <T> CompletableFuture<Optional<T>> optional(CompletableFuture<T> call) {
    return call.handle(
        (value, error) -> {
          if (error == null) {
            return Optional.of(value);
          }
          Throwable cause = error instanceof CompletionException ? error.getCause() : error;
          if (cause instanceof ApiException api
              && api.status() == 404
              && CODE_USER_NOT_FOUND.equals(api.code())) {
            return Optional.empty();
          }
          throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
  }

  private <T> CompletableFuture<T> call(
      String method, String pathAndQuery, String token, Object body, JavaType answerType) {
    String request = method + " /api/v1" + pathAndQuery;
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(apiRoot + pathAndQuery))
            .timeout(requestTimeout)
            .header("Accept", "application/json, application/problem+json");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      try {
        builder
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      } catch (JsonProcessingException e) {
        return CompletableFuture.failedFuture(e);
      }
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, error) -> {
              if (error != null) {
                throw unreachable(error);
              }
              return this.<T>parse(request, response, answerType);
            });
  }

  private <T> T parse(String request, HttpResponse<byte[]> response, JavaType answerType) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      if (answerType == null || response.body().length == 0) {
        return null;
      }
      try {
        return json.readValue(response.body(), answerType);
      } catch (IOException e) {
        throw new ApiException(
            request, status, "malformed-answer", "Malformed answer", e.getMessage());
      }
    }
    throw problem(request, status, response.body());
  }

  /** Maps an error answer to {@link ApiException}; tolerant of bodies that are not problem JSON. */
  ApiException problem(String request, int status, byte[] body) {
    String fallbackCode = "http-" + status;
    String text = new String(body, StandardCharsets.UTF_8).strip();
    JsonNode node = null;
    if (text.startsWith("{")) {
      try {
        node = json.readTree(text);
      } catch (IOException e) {
        node = null;
      }
    }
    if (node == null || !node.isObject()) {
      String detail = text.length() > 200 ? text.substring(0, 200) + "..." : text;
      return new ApiException(request, status, fallbackCode, "", detail);
    }
    String code = node.path("code").asText("");
    String type = node.path("type").asText("");
    if (code.isEmpty() && type.startsWith(PROBLEM_TYPE_PREFIX)) {
      code = type.substring(PROBLEM_TYPE_PREFIX.length());
    }
    if (code.isEmpty()) {
      code = fallbackCode;
    }
    return new ApiException(
        request, status, code, node.path("title").asText(""), node.path("detail").asText(""));
  }

  private RuntimeException unreachable(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpConnectTimeoutException) {
      return new ApiUnreachableException(
          baseUrl, "no connection within " + describe(requestTimeout), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new ApiUnreachableException(
          baseUrl, "no answer within " + describe(requestTimeout), cause);
    }
    boolean connectFailed = false;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        connectFailed = true;
        String msg = t.getMessage();
        if (msg != null && !msg.isBlank()) {
          // "Connection refused", "No route to host", ...: lower-cased to read as a reason.
          return new ApiUnreachableException(
              baseUrl, Character.toLowerCase(msg.charAt(0)) + msg.substring(1), cause);
        }
      }
    }
    if (connectFailed) {
      return new ApiUnreachableException(baseUrl, "connection refused", cause);
    }
    if (cause instanceof IOException) {
      String msg = cause.getMessage();
      return new ApiUnreachableException(
          baseUrl, msg == null ? cause.getClass().getSimpleName() : msg, cause);
    }
    return cause instanceof RuntimeException re ? re : new CompletionException(cause);
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
