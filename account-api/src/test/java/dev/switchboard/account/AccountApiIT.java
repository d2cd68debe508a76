package dev.switchboard.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.account.ApiClient.Response;
import dev.switchboard.common.auth.TokenClaims;
import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.config.Env;
import dev.switchboard.connector.ConnectorConfig;
import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.LoginReq;
import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.UserStatusGrpc;
import dev.switchboard.userstatus.UserStatusConfig;
import dev.switchboard.userstatus.UserStatusServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The real account-api (Spring Boot, Tomcat, Flyway) on real MariaDB and ZooKeeper, next to a real
 * user-status (on real Redis) and a real connector, driven over HTTP like a client would.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountApiIT {
  private static final String PASSWORD = "correct-horse-42";

  private final byte[] secret = TokenService.randomSecret();
  private String jdbcUrl;
  private EmbeddedMariaDb db;
  private UserStatusServer userStatus;
  private AccountApiServer server;
  private String zkConnect;
  private ConnectorServer connector;
  private ManagedChannel userStatusChannel;
  private ApiClient api;

  @BeforeAll
  void start(EmbeddedMariaDb db, EmbeddedZooKeeper zooKeeper, EmbeddedRedis redis)
      throws Exception {
    this.db = db;
    zkConnect = zooKeeper.connectString();
    jdbcUrl = db.jdbcUrl("account_it_" + UUID.randomUUID().toString().substring(0, 8));
    // The database is shared: another service's tables and history are there first.
    sql(
        "CREATE TABLE transfer_owned (id BIGINT PRIMARY KEY)",
        "CREATE TABLE flyway_history_transfer (installed_rank INT PRIMARY KEY)");

    userStatus =
        new UserStatusServer(
            UserStatusConfig.fromEnv(
                Env.of(
                    Map.of(
                        "IM_REDIS_URL", redis.url(),
                        "IM_ZK_CONNECT", zooKeeper.connectString(),
                        "IM_METRICS_PORT", "-1"))));
    userStatus.start();
    userStatusChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", userStatus.port()).usePlaintext().build();

    server =
        new AccountApiServer(
            new AccountApiConfig(
                "127.0.0.1",
                0,
                jdbcUrl,
                db.user(),
                db.password(),
                zooKeeper.connectString(),
                secret,
                AccountApiConfig.Profile.PROD,
                Duration.ofHours(1),
                Duration.ofSeconds(2),
                1000,
                100,
                30));
    server.start();
    api = new ApiClient(server.port());
    connector = startConnector();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (connector != null) {
      connector.close();
    }
    if (userStatusChannel != null) {
      userStatusChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (userStatus != null) {
      userStatus.close();
    }
  }

  // --- registration --------------------------------------------------------------------------

  @Test
  void register_is201WithTheProfileAndNicknameDefaultingToTheUsername() {
    Response response = api.register("alice_" + suffix(), PASSWORD);

    assertThat(response.status()).isEqualTo(201);
    JsonNode body = response.json();
    assertThat(body.path("userId").asLong()).isPositive();
    assertThat(body.path("nickname").asString()).isEqualTo(body.path("username").asString());
    assertThat(response.raw().headers().firstValue("Location"))
        .hasValue("/api/v1/users/" + body.path("userId").asLong());
  }

  @Test
  void register_storesAnArgon2idHashNeverThePassword() throws Exception {
    long id = register("hashed_" + suffix());

    String hash = queryString("SELECT password_hash FROM users WHERE id = " + id);

    assertThat(hash).startsWith("$argon2id$").doesNotContain(PASSWORD);
  }

  @Test
  void registerTakenUsername_is409EvenInOtherCase() {
    String name = "taken_" + suffix();
    assertThat(api.register(name, PASSWORD).status()).isEqualTo(201);

    Response again = api.register(name, "another-password");
    Response upper = api.register(name.toUpperCase(), PASSWORD);

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(again.code()).isEqualTo("username-taken");
    assertThat(again.json().path("type").asString())
        .isEqualTo("https://switchboard.dev/problems/username-taken");
    assertThat(upper.status()).isEqualTo(409);
  }

  @Test
  void concurrentRegistrationsOfOneName_exactlyOneWins() throws Exception {
    String name = "race_" + suffix();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Response>> attempts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Callable<Response> attempt = () -> api.register(name, PASSWORD);
        attempts.add(pool.submit(attempt));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Response> attempt : attempts) {
        statuses.add(attempt.get(30, TimeUnit.SECONDS).status());
      }

      assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(queryString("SELECT COUNT(*) FROM users WHERE username = '" + name + "'"))
        .isEqualTo("1");
  }

  @Test
  void registerInvalidUsernameOrPassword_is400ValidationFailed() {
    for (Response response :
        List.of(
            api.register("ab", PASSWORD),
            api.register("no spaces allowed", PASSWORD),
            api.register("x".repeat(33), PASSWORD),
            api.register("valid_" + suffix(), "short"),
            api.register("valid_" + suffix(), "p".repeat(129)))) {
      assertThat(response.status()).as(response.body()).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.code()).isEqualTo("validation-failed");
    }
  }

  @Test
  void malformedJson_is400MalformedRequestProblem() {
    Response response = api.post("/api/v1/users", "{\"username\": ");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.code()).isEqualTo("malformed-request");
    assertThat(response.json().path("status").asInt()).isEqualTo(400);
  }

  // --- login ---------------------------------------------------------------------------------

  @Test
  void login_answersATokenTheConnectorsCanVerifyAndTheConnectorsClientAddress() throws Exception {
    String name = "login_" + suffix();
    long id = register(name);

    Response response = loginWhenAConnectorIsKnown(name, "phone-1");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.path("userId").asLong()).isEqualTo(id);
    TokenClaims claims =
        new TokenService(secret, Clock.systemUTC()).verify(body.path("token").asString());
    assertThat(claims.userId()).isEqualTo(id);
    assertThat(claims.deviceId()).isEqualTo("phone-1");
    assertThat(body.path("expiresAt").asString()).isEqualTo(claims.expiresAt().toString());
    assertThat(body.path("connector").path("id").asString()).isEqualTo(connector.id());
    assertThat(body.path("connector").path("host").asString()).isEqualTo("127.0.0.1");
    assertThat(body.path("connector").path("port").asInt()).isEqualTo(connector.clientPort());
  }

  @Test
  void loginWithWrongPasswordOrUnknownUser_isTheSame401() {
    String name = "victim_" + suffix();
    register(name);

    Response wrongPassword = api.login(name, "not-the-password", "d1");
    Response unknownUser = api.login("nobody_" + suffix(), PASSWORD, "d1");

    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(wrongPassword.code()).isEqualTo("invalid-credentials");
    assertThat(unknownUser.status()).isEqualTo(401);
    assertThat(unknownUser.json().path("detail")).isEqualTo(wrongPassword.json().path("detail"));
  }

  @Test
  void loginWithoutDeviceId_is400() {
    String name = "nodevice_" + suffix();
    register(name);

    Response response = api.login(name, PASSWORD, "");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("validation-failed");
  }

  @Test
  @Order(100)
  void loginWhileNoConnectorIsRegistered_is503NoConnectorAvailable() throws Exception {
    String name = "lonely_" + suffix();
    register(name);
    connector.close();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Response response = api.login(name, PASSWORD, "d1");
                assertThat(response.status()).isEqualTo(503);
                assertThat(response.code()).isEqualTo("no-connector-available");
              });
    } finally {
      connector = startConnector();
    }
    assertThat(loginWhenAConnectorIsKnown(name, "d1").status()).isEqualTo(200);
  }

  // --- profiles and authentication -----------------------------------------------------------

  @Test
  void lookupByIdAndByUsername_answerThePublicProfile() {
    String name = "bob_" + suffix();
    long id = register(name);
    String token = token(name, "d1");

    Response byId = api.get("/api/v1/users/" + id, token);
    Response byName = api.get("/api/v1/users?username=" + name.toUpperCase(), token);

    assertThat(byId.status()).isEqualTo(200);
    assertThat(byId.json().path("username").asString()).isEqualTo(name);
    assertThat(byId.json().has("passwordHash")).isFalse();
    assertThat(byName.status()).isEqualTo(200);
    assertThat(byName.json().path("userId").asLong()).isEqualTo(id);
  }

  @Test
  void lookupOfUnknownUser_is404UserNotFound() {
    String token = token(registerAndName("seeker_"), "d1");

    Response byId = api.get("/api/v1/users/999999999", token);
    Response byName = api.get("/api/v1/users?username=ghost_" + suffix(), token);

    assertThat(byId.status()).isEqualTo(404);
    assertThat(byId.code()).isEqualTo("user-not-found");
    assertThat(byName.status()).isEqualTo(404);
    assertThat(byName.code()).isEqualTo("user-not-found");
  }

  @Test
  void lookupWithoutOrWithForgedToken_is401Unauthorized() {
    String name = "guarded_" + suffix();
    long id = register(name);
    String forged =
        new TokenService(TokenService.randomSecret(), Clock.systemUTC())
            .issue(id, "d1", Duration.ofHours(1))
            .token();

    Response missing = api.get("/api/v1/users/" + id);
    Response bad = api.get("/api/v1/users/" + id, forged);

    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.code()).isEqualTo("unauthorized");
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.code()).isEqualTo("unauthorized");
  }

  @Test
  void unknownPath_is404Problem() {
    Response response = api.get("/api/v1/nothing-here");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  // --- logout --------------------------------------------------------------------------------

  @Test
  void logout_revokesTheTokenAndKicksThatDeviceOffItsConnector() throws Exception {
    String name = "leaver_" + suffix();
    long id = register(name);
    String laptop = token(name, "laptop");
    String phone = token(name, "phone");
    try (Socket socket = new Socket("127.0.0.1", connector.clientPort())) {
      socket.setSoTimeout(15_000);
      Frame.newBuilder()
          .setRequestId(1)
          .setLoginReq(LoginReq.newBuilder().setToken(laptop).setDeviceId("laptop"))
          .build()
          .writeDelimitedTo(socket.getOutputStream());
      assertThat(
              nextFrame(socket.getInputStream(), Frame.BodyCase.LOGIN_RESP).getLoginResp().getOk())
          .isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> routes(id).stream().anyMatch(r -> r.getDeviceId().equals("laptop")));

      Response logout = api.delete("/api/v1/sessions/current", laptop);

      assertThat(logout.status()).as(logout.body()).isEqualTo(204);
      Frame kick = nextFrame(socket.getInputStream(), Frame.BodyCase.KICK);
      assertThat(kick.getKick().getReason()).isEqualTo(KickReason.LOGGED_OUT);
    }
    Response withRevoked = api.get("/api/v1/users/" + id, laptop);
    assertThat(withRevoked.status()).isEqualTo(401);
    assertThat(withRevoked.code()).isEqualTo("unauthorized");
    assertThat(api.get("/api/v1/users/" + id, phone).status()).isEqualTo(200);
    assertThat(api.delete("/api/v1/sessions/current", laptop).status()).isEqualTo(401);
  }

  @Test
  void logoutWithoutToken_is401() {
    assertThat(api.delete("/api/v1/sessions/current", null).status()).isEqualTo(401);
  }

  // --- presence ------------------------------------------------------------------------------

  @Test
  void presence_reportsUsersWithARouteAsOnline() {
    String onlineName = "present_" + suffix();
    long online = register(onlineName);
    long offline = register("absent_" + suffix());
    String token = token(onlineName, "d1");
    online(online, "d1");

    Response response = api.get("/api/v1/presence?userIds=" + online + "," + offline, token);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode presence = response.json().path("presence");
    assertThat(presence.size()).isEqualTo(2);
    assertThat(presence.get(0).path("userId").asLong()).isEqualTo(online);
    assertThat(presence.get(0).path("online").asBoolean()).isTrue();
    assertThat(presence.get(1).path("userId").asLong()).isEqualTo(offline);
    assertThat(presence.get(1).path("online").asBoolean()).isFalse();
  }

  @Test
  void onlineList_namesOnlineUsersWithTheirProfiles() {
    String name = "listed_" + suffix();
    long id = register(name);
    String token = token(name, "d1");
    online(id, "d1");

    Response response = api.get("/api/v1/presence/online?limit=1000", token);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.path("count").asInt()).isEqualTo(body.path("users").size());
    List<String> names = new ArrayList<>();
    body.path("users").forEach(user -> names.add(user.path("username").asString()));
    assertThat(names).contains(name);
  }

  // --- operations ----------------------------------------------------------------------------

  @Test
  void openApiDocumentAndSwaggerUi_areServed() {
    Response docs = api.get("/v3/api-docs");
    Response ui = api.get("/swagger-ui.html");

    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.json().path("paths").has("/api/v1/users")).isTrue();
    assertThat(docs.json().path("paths").has("/api/v1/sessions/current")).isTrue();
    assertThat(ui.status()).isIn(200, 302);
  }

  @Test
  void prometheusEndpoint_countsRegistrationsAndLogins_andOnlyHealthInfoPrometheusAreExposed() {
    String name = "metered_" + suffix();
    register(name);
    token(name, "d1");
    api.login(name, "wrong-password", "d1");

    Response metrics = api.get("/actuator/prometheus");

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("account_registrations_total{")
        .contains("outcome=\"ok\"")
        .contains("account_logins_total{")
        .contains("outcome=\"invalid_credentials\"");
    assertThat(api.get("/actuator/health").status()).isEqualTo(200);
    assertThat(api.get("/actuator/env").status()).isEqualTo(404);
    assertThat(api.get("/actuator/beans").status()).isEqualTo(404);
  }

  @Test
  void migrations_ranBesideTheOtherServicesTables() throws Exception {
    assertThat(queryString("SELECT COUNT(*) FROM transfer_owned")).isEqualTo("0");
    assertThat(queryString("SELECT MAX(version) FROM flyway_history_account WHERE success = 1"))
        .isEqualTo("3");
  }

  @Test
  void startOnABusyPort_failsNamingThePort() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AccountApiConfig config =
          new AccountApiConfig(
              "127.0.0.1",
              busy.getLocalPort(),
              jdbcUrl,
              db.user(),
              db.password(),
              "127.0.0.1:1",
              secret,
              AccountApiConfig.Profile.PROD,
              Duration.ofHours(1),
              Duration.ofSeconds(2),
              1000,
              100,
              30);
      try (AccountApiServer second = new AccountApiServer(config)) {
        assertThatThrownBy(second::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("port " + busy.getLocalPort())
            .hasMessageContaining("account-api HTTP");
      }
    }
  }

  /** Runs last: with user-status gone, authenticated calls fail closed. */
  @Test
  @Order(Integer.MAX_VALUE)
  void whenUserStatusIsGone_authenticatedCallsAre503NotAccepted() {
    String name = "lastone_" + suffix();
    long id = register(name);
    String token = token(name, "d1");

    userStatus.close();

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              Response response = api.get("/api/v1/users/" + id, token);
              assertThat(response.status()).isEqualTo(503);
              assertThat(response.code()).isEqualTo("dependency-unavailable");
            });
  }

  // --- helpers -------------------------------------------------------------------------------

  private static String suffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private long register(String name) {
    Response response = api.register(name, PASSWORD);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().path("userId").asLong();
  }

  private String registerAndName(String prefix) {
    String name = prefix + suffix();
    register(name);
    return name;
  }

  /** Logs in, waiting until the directory cache has seen the recording connector. */
  private Response loginWhenAConnectorIsKnown(String name, String deviceId) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.login(name, PASSWORD, deviceId), response -> response.status() != 503);
  }

  private String token(String name, String deviceId) {
    Response response = loginWhenAConnectorIsKnown(name, deviceId);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().path("token").asString();
  }

  private ConnectorServer startConnector() throws Exception {
    ConnectorServer started =
        new ConnectorServer(
            ConnectorConfig.fromEnv(
                Env.of(
                    Map.of(
                        "IM_CONNECTOR_ID",
                        "conn-it-" + suffix(),
                        "IM_ZK_CONNECT",
                        zkConnect,
                        "IM_JWT_SECRET",
                        TokenService.encodeSecret(secret),
                        "IM_METRICS_PORT",
                        "0"))));
    started.start();
    return started;
  }

  /** The next frame of that kind on a client connection, skipping others (e.g. Pong). */
  private static Frame nextFrame(InputStream in, Frame.BodyCase kind) throws Exception {
    while (true) {
      Frame frame = Frame.parseDelimitedFrom(in);
      assertThat(frame).as("connection closed before a " + kind + " frame").isNotNull();
      if (frame.getBodyCase() == kind) {
        return frame;
      }
    }
  }

  private List<SessionRoute> routes(long userId) {
    return UserStatusGrpc.newBlockingStub(userStatusChannel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .getRoutes(GetRoutesRequest.newBuilder().addUserIds(userId).build())
        .getRoutesList();
  }

  /** Registers a session of the device on the test's connector, as the connector would. */
  private void online(long userId, String deviceId) {
    UserStatusGrpc.newBlockingStub(userStatusChannel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .online(
            OnlineRequest.newBuilder()
                .setSession(
                    SessionRoute.newBuilder()
                        .setUserId(userId)
                        .setDeviceId(deviceId)
                        .setConnectorId(connector.id())
                        .setSessionId(UUID.randomUUID().toString()))
                .build());
  }

  private void sql(String... statements) throws Exception {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, db.user(), db.password());
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private String queryString(String query) throws Exception {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, db.user(), db.password());
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(query)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
