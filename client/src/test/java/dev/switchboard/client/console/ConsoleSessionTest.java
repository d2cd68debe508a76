package dev.switchboard.client.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.ServerErrorException;
import dev.switchboard.client.rest.OnlineUsers;
import dev.switchboard.client.rest.UserProfile;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.MsgType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleSessionTest {

  private static final long ALICE = 1001;
  private static final long BOB = 1002;

  private final StringWriter output = new StringWriter();
  private final FakeBackend backend = new FakeBackend();
  private ConsoleSession session;

  @BeforeEach
  void setUp() {
    session =
        new ConsoleSession(
            new PrintWriter(output, true),
            ZoneOffset.UTC,
            new ConsoleSession.Identity("alice", "console-1", "conn-1 (127.0.0.1:7001)"));
    session.attach(backend);
  }

  private int run(String input) throws IOException {
    return session.run(new BufferedReader(new StringReader(input)));
  }

  private List<String> lines() {
    return output.toString().lines().toList();
  }

  @Test
  void send_resolvesTheNameOnce_andPrintsTheSentSeq() throws IOException {
    int code = run("@bob hello\n@bob again\n:q\n");

    assertThat(code).isZero();
    assertThat(backend.sent).containsExactly("1002:hello", "1002:again");
    assertThat(backend.lookups).containsExactly("bob");
    assertThat(lines()).containsExactly("  ✓ sent (#1)", "  ✓ sent (#2)");
  }

  @Test
  void sendToUnknownUser_printsItAndKeepsRunning() throws IOException {
    int code = run("@carol hi\n:whoami\n");

    assertThat(code).isZero();
    assertThat(lines().get(0)).isEqualTo("! unknown user: carol");
    assertThat(lines().get(1)).startsWith("alice (id 1001), device console-1");
    assertThat(backend.sent).isEmpty();
  }

  @Test
  void sendRefusedWithUnknownDestination_printsUnknownUser() throws IOException {
    backend.refuseNextSend = ErrorCode.UNKNOWN_DESTINATION;
    run("@bob hi\n");
    assertThat(lines()).containsExactly("! unknown user: bob");
  }

  @Test
  void badInput_printsAClearMessage_andTheLoopGoesOn() throws IOException {
    int code = run("hello\n@bob\n:nope\n\n@bob ok\n");

    assertThat(code).isZero();
    assertThat(lines())
        .containsExactly(
            "! to send a message type @username text (type :help for commands)",
            "! nothing to send to bob: type @bob text",
            "! unknown command :nope (type :help)",
            "  ✓ sent (#1)");
  }

  @Test
  void endOfInput_exitsWithZero() throws IOException {
    assertThat(run("")).isZero();
  }

  @Test
  void listOnline_printsCountAndNames() throws IOException {
    run(":olu\n");
    assertThat(lines()).containsExactly("online: 2", "  alice (id 1001)", "  bob (id 1002)");
  }

  @Test
  void incomingMessage_isShownWithTimeSenderAndSeq_andMarkedRead() {
    long sentAt = LocalDateTime.of(2026, 1, 2, 12, 1, 33).toInstant(ZoneOffset.UTC).toEpochMilli();
    session.onMessage(
        ChatMsg.newBuilder()
            .setId(77)
            .setFromId(BOB)
            .setDestId(ALICE)
            .setConversationId("s_1001_1002")
            .setSeq(5)
            .setSentAtMs(sentAt)
            .setMsgBody("hello")
            .build());

    assertThat(lines()).containsExactly("[12:01:33] bob: hello  (#seq 5)");
    assertThat(backend.reads).containsExactly("s_1001_1002#5");
  }

  @Test
  void readToggle_turnsAutoReadOff() throws IOException {
    run(":read\n");
    session.onMessage(
        ChatMsg.newBuilder()
            .setId(1)
            .setFromId(BOB)
            .setConversationId("s_1001_1002")
            .setSeq(1)
            .build());
    assertThat(lines().get(0)).isEqualTo("auto-read off");
    assertThat(backend.reads).isEmpty();
  }

  @Test
  void receipts_areShownWithThePeersName() {
    session.onReceipt(
        AckMsg.newBuilder().setMsgType(MsgType.DELIVERED).setFromId(BOB).setSeq(5).build());
    session.onReceipt(
        AckMsg.newBuilder().setMsgType(MsgType.READ).setFromId(BOB).setSeq(5).build());
    assertThat(lines()).containsExactly("  ✓✓ delivered to bob (#5)", "  read by bob up to #5");
  }

  @Test
  void kick_isShown_andTheNextLineEndsTheSession() throws IOException {
    session.onKicked(Kick.newBuilder().setReason(KickReason.LOGGED_IN_ELSEWHERE).build());
    session.onDisconnected(new IllegalStateException("kicked"));

    assertThat(run("@bob hi\n")).isEqualTo(ConsoleSession.EXIT_SESSION_ENDED);
    assertThat(lines().get(0)).isEqualTo("! kicked: logged in elsewhere");
    assertThat(backend.sent).isEmpty();
  }

  /** Answers like a small server with users alice and bob. */
  private static final class FakeBackend implements ChatBackend {
    final Map<String, Long> users = Map.of("alice", ALICE, "bob", BOB);
    final List<String> sent = new ArrayList<>();
    final List<String> lookups = new ArrayList<>();
    final List<String> reads = new ArrayList<>();
    ErrorCode refuseNextSend;
    long seq;

    @Override
    public long userId() {
      return ALICE;
    }

    @Override
    public boolean isConnected() {
      return true;
    }

    @Override
    public CompletableFuture<AckMsg> sendText(long destUserId, String text) {
      if (refuseNextSend != null) {
        ErrorCode code = refuseNextSend;
        refuseNextSend = null;
        return CompletableFuture.failedFuture(new ServerErrorException(code, "no such user"));
      }
      sent.add(destUserId + ":" + text);
      return CompletableFuture.completedFuture(
          AckMsg.newBuilder().setMsgType(MsgType.SENT).setSeq(++seq).build());
    }

    @Override
    public void markRead(String conversationId, long seq) {
      reads.add(conversationId + "#" + seq);
    }

    @Override
    public Optional<UserProfile> findUser(String username) {
      lookups.add(username);
      return Optional.ofNullable(users.get(username)).map(id -> new UserProfile(id, username, ""));
    }

    @Override
    public Optional<UserProfile> userById(long userId) {
      return users.entrySet().stream()
          .filter(e -> e.getValue() == userId)
          .findFirst()
          .map(e -> new UserProfile(userId, e.getKey(), ""));
    }

    @Override
    public OnlineUsers onlineUsers(int limit) {
      return new OnlineUsers(
          2, List.of(new UserProfile(ALICE, "alice", ""), new UserProfile(BOB, "bob", "")));
    }
  }
}
