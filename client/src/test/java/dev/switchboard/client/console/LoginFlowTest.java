package dev.switchboard.client.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.CannedHttpServer;
import dev.switchboard.client.rest.CannedHttpServer.Answer;
import dev.switchboard.client.rest.LoginSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginFlowTest {

  private static final String SESSION =
      """
      {"userId":1001,"token":"t","expiresAt":"2030-01-01T00:00:00Z",
       "connector":{"id":"conn-1","host":"127.0.0.1","port":7001}}
      """;

  private CannedHttpServer server;
  private final StringWriter output = new StringWriter();

  @BeforeEach
  void start() throws IOException {
    server = new CannedHttpServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Optional<LoginSession> login(URI api, String input, boolean register) throws IOException {
    return new LoginFlow(
            new AccountApi(api),
            new BufferedReader(new StringReader(input)),
            new PrintWriter(output, true))
        .login("alice", "password1", "dev-1", register);
  }

  @Test
  void unknownUser_isOfferedRegistration_andYesRegistersAndLogsIn() throws IOException {
    server.answer(
        "POST /api/v1/sessions", Answer.problem(401, "invalid-credentials", "bad credentials"));
    server.answer(
        "POST /api/v1/users", Answer.json(201, "{\"userId\":1001,\"username\":\"alice\"}"));

    // The canned 401 is replaced by a success once the user registered.
    Optional<LoginSession> session =
        new LoginFlow(
                new AccountApi(server.baseUrl()),
                new BufferedReader(new StringReader("y\n")) {
                  @Override
                  public String readLine() throws IOException {
                    server.answer("POST /api/v1/sessions", Answer.json(200, SESSION));
                    return super.readLine();
                  }
                },
                new PrintWriter(output, true))
            .login("alice", "password1", "dev-1", false);

    assertThat(session).map(LoginSession::userId).contains(1001L);
    assertThat(output.toString())
        .contains("User alice not found or wrong password. Register alice? [y/N] ")
        .contains("Registered alice (id 1001)");
  }

  @Test
  void unknownUser_declined_failsWithAMessage() throws IOException {
    server.answer(
        "POST /api/v1/sessions", Answer.problem(401, "invalid-credentials", "bad credentials"));

    assertThat(login(server.baseUrl(), "\n", false)).isEmpty();
    assertThat(output.toString()).contains("! login failed: unknown user or wrong password");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void registerFlag_withExistingAccount_logsIn() throws IOException {
    server.answer("POST /api/v1/users", Answer.problem(409, "username-taken", "taken"));
    server.answer("POST /api/v1/sessions", Answer.json(200, SESSION));

    assertThat(login(server.baseUrl(), "", true)).isPresent();
    assertThat(output.toString()).contains("User alice exists already, logging in");
  }

  @Test
  void invalidRegistration_showsTheServersDetail() throws IOException {
    server.answer(
        "POST /api/v1/users",
        Answer.problem(400, "validation-failed", "password must be 8..128 characters"));

    assertThat(login(server.baseUrl(), "", true)).isEmpty();
    assertThat(output.toString())
        .contains(
            "! registration failed: validation-failed: password must be 8..128 characters (HTTP 400)");
  }

  @Test
  void unreachableServer_saysSo() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(login(URI.create("http://127.0.0.1:" + port), "", false)).isEmpty();
    assertThat(output.toString())
        .isEqualToIgnoringNewLines(
            "! cannot reach account-api at http://127.0.0.1:" + port + ": connection refused");
  }
}
