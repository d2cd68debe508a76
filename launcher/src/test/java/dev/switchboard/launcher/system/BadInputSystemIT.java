package dev.switchboard.launcher.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.common.auth.TokenService;
import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.launcher.system.ClusterExtension.TestCluster;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginReq;
import dev.switchboard.proto.Ping;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the running cluster does with bad input on the long connection and over REST. */
@ExtendWith(ClusterExtension.class)
class BadInputSystemIT {
  private static final ObjectMapper json = new ObjectMapper();
  private static TestCluster cluster;
  private static ConnectorServer connector;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void cluster(TestCluster testCluster) {
    cluster = testCluster;
    connector = testCluster.cluster().connectors().get(0);
  }

  @Test
  void frameBeforeLogin_getsNotLoggedIn_andIsClosed() throws Exception {
    try (RawConnection raw = new RawConnection(connector.clientPort())) {
      raw.send(Frame.newBuilder().setPing(Ping.newBuilder().setTimeMs(1)).build());

      assertErrorThenClosed(raw, ErrorCode.NOT_LOGGED_IN);
    }
  }

  @Test
  void tokenSignedWithAnotherKey_isRefused() throws Exception {
    String forged =
        new TokenService(TokenService.randomSecret(), Clock.systemUTC())
            .issue(1, "dev", Duration.ofHours(1))
            .token();

    assertLoginRefused(forged, "dev", ErrorCode.INVALID_TOKEN);
  }

  @Test
  void expiredToken_isRefused() throws Exception {
    String expired =
        new TokenService(
                cluster.jwtSecret(), Clock.fixed(Instant.now().minusSeconds(7200), ZoneOffset.UTC))
            .issue(1, "dev", Duration.ofHours(1))
            .token();

    assertLoginRefused(expired, "dev", ErrorCode.TOKEN_EXPIRED);
  }

  @Test
  void unsignedAlgNoneToken_isRefused() throws Exception {
    String valid =
        new TokenService(cluster.jwtSecret(), Clock.systemUTC())
            .issue(1, "dev", Duration.ofHours(1))
            .token();
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));

    assertLoginRefused(header + "." + valid.split("\\.")[1] + ".", "dev", ErrorCode.INVALID_TOKEN);
  }

  @Test
  void garbageToken_isRefused() throws Exception {
    assertLoginRefused("not a token", "dev", ErrorCode.INVALID_TOKEN);
  }

  @Test
  void oversizedLengthPrefix_getsFrameTooLarge_andIsClosed() throws Exception {
    try (RawConnection raw = new RawConnection(connector.clientPort())) {
      // varint 0x7FFFFFFF: a 2 GiB frame announced in five bytes.
      raw.sendBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07});

      assertErrorThenClosed(raw, ErrorCode.FRAME_TOO_LARGE);
    }
  }

  @Test
  void garbageBytes_getMalformedFrame_andAreClosed() throws Exception {
    try (RawConnection raw = new RawConnection(connector.clientPort())) {
      byte[] garbage = "\u0005hello, is this HTTP?".getBytes(StandardCharsets.UTF_8);
      raw.sendBytes(garbage);

      assertErrorThenClosed(raw, ErrorCode.MALFORMED_FRAME);
    }
  }

  @Test
  void duplicateUsername_is409ProblemJson() throws Exception {
    String body = "{\"username\":\"dup_" + shortId() + "\",\"password\":\"long enough\"}";
    assertThat(post("/api/v1/users", body).statusCode()).isEqualTo(201);

    HttpResponse<String> second = post("/api/v1/users", body);

    assertProblem(second, 409, "username-taken");
  }

  @Test
  void wrongPassword_is401ProblemJson() throws Exception {
    String username = "pw_" + shortId();
    post("/api/v1/users", "{\"username\":\"" + username + "\",\"password\":\"right password\"}");

    HttpResponse<String> login =
        post(
            "/api/v1/sessions",
            "{\"username\":\""
                + username
                + "\",\"password\":\"wrong password\",\"deviceId\":\"d\"}");

    assertProblem(login, 401, "invalid-credentials");
  }

  @Test
  void malformedJson_is400ProblemJson() throws Exception {
    HttpResponse<String> response = post("/api/v1/users", "{\"username\": \"x\", ");

    assertProblem(response, 400, "malformed-request");
  }

  private void assertLoginRefused(String token, String deviceId, ErrorCode expected)
      throws Exception {
    try (RawConnection raw = new RawConnection(connector.clientPort())) {
      raw.send(
          Frame.newBuilder()
              .setRequestId(7)
              .setLoginReq(LoginReq.newBuilder().setToken(token).setDeviceId(deviceId))
              .build());

      assertErrorThenClosed(raw, expected);
    }
  }

  private static void assertErrorThenClosed(RawConnection raw, ErrorCode expected)
      throws Exception {
    Frame frame = raw.read();
    // A refused login may be answered with LoginResp{ok=false} ahead of the Error frame.
    while (frame != null && frame.hasLoginResp()) {
      assertThat(frame.getLoginResp().getOk()).isFalse();
      frame = raw.read();
    }
    assertThat(frame).as("an Error frame before the close").isNotNull();
    assertThat(frame.hasError()).as("frame %s", frame).isTrue();
    assertThat(frame.getError().getCode()).isEqualTo(expected);
    assertThat(frame.getError().getMessage()).isNotBlank();
    assertThat(raw.closedByServer()).as("connection closed by the server").isTrue();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(cluster.apiUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String code)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = json.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("code").asText()).isEqualTo(code);
    assertThat(problem.path("title").asText()).isNotBlank();
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
