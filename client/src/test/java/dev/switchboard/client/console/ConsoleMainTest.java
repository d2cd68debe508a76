package dev.switchboard.client.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.ScriptedConnector;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.rest.CannedHttpServer;
import dev.switchboard.client.rest.CannedHttpServer.Answer;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.MsgType;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The whole console: options, REST login, connector login, a send, quit. */
class ConsoleMainTest {

  private EventLoopGroup group;
  private ScriptedConnector connector;
  private CannedHttpServer api;
  private final StringWriter output = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    group = SwitchboardClient.newEventLoopGroup(1);
    connector = new ScriptedConnector(group);
    api = new CannedHttpServer();
    api.answer(
        "POST /api/v1/sessions",
        Answer.json(
            200,
            """
            {"userId":1001,"token":"t","expiresAt":"2030-01-01T00:00:00Z",
             "connector":{"id":"conn-test","host":"127.0.0.1","port":%d}}
            """
                .formatted(connector.port())));
    api.answer(
        "GET /api/v1/users?username=bob",
        Answer.json(200, "{\"userId\":1002,\"username\":\"bob\"}"));
    api.answer(
        "GET /api/v1/users?username=carol", Answer.problem(404, "user-not-found", "no carol"));
    connector.answerOthersWith(
        f -> {
          if (!f.hasChatMsg()) {
            return new Frame[0];
          }
          ChatMsg m = f.getChatMsg();
          return new Frame[] {
            Frame.newBuilder()
                .setRequestId(f.getRequestId())
                .setAckMsg(
                    AckMsg.newBuilder()
                        .setMsgType(MsgType.SENT)
                        .setClientMsgId(m.getClientMsgId())
                        .setAckMsgId(9)
                        .setConversationId("s_1001_1002")
                        .setSeq(5))
                .build()
          };
        });
  }

  @AfterEach
  void stop() {
    api.close();
    connector.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private int run(String input, String... args) throws Exception {
    ConsoleMain main = new ConsoleMain();
    new CommandLine(main).parseArgs(args);
    return main.run(
        new BufferedReader(new StringReader(input)), new PrintWriter(output, true), null);
  }

  @Test
  void login_send_quit() throws Exception {
    int code =
        run(
            "@bob hello\n@carol hi\n:q\n",
            "--api",
            api.baseUrl().toString(),
            "--user",
            "alice",
            "--password",
            "password1",
            "--device",
            "console-t");

    assertThat(code).isZero();
    assertThat(output.toString().lines())
        .containsSubsequence(
            "Logged in as alice (id 1001) on connector conn-test (127.0.0.1:"
                + connector.port()
                + "). Type :help",
            "  ✓ sent (#5)",
            "! unknown user: carol");
    assertThat(connector.next().getLoginReq().getDeviceId()).isEqualTo("console-t");
    assertThat(connector.next().getChatMsg().getMsgBody()).isEqualTo("hello");
  }

  @Test
  void passwordIsAskedWhenMissing() throws Exception {
    int code = run("password1\n:q\n", "--api", api.baseUrl().toString(), "-u", "alice");

    assertThat(code).isZero();
    assertThat(output.toString()).startsWith("Password for alice: ").contains("Logged in as alice");
    assertThat(api.requests().get(0).body()).contains("\"password\":\"password1\"");
  }

  @Test
  void unreachableConnector_exitsWithOne() throws Exception {
    connector.close();
    int code = run(":q\n", "--api", api.baseUrl().toString(), "-u", "alice", "-p", "password1");

    assertThat(code).isEqualTo(1);
    assertThat(output.toString()).contains("! cannot connect to connector conn-test");
  }
}
