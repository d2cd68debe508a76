package dev.switchboard.client.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.ServerErrorException;
import dev.switchboard.client.rest.ApiException;
import dev.switchboard.client.rest.Friend;
import dev.switchboard.client.rest.FriendRequest;
import dev.switchboard.client.rest.OnlineUsers;
import dev.switchboard.client.rest.UserProfile;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
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
  private static final long DAVE = 1003;

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

  @Test
  void sendRefusedBecauseOfABlock_saysSoWithoutSayingWhoBlocked() throws IOException {
    backend.refuseNextSend = ErrorCode.BLOCKED;
    run("@bob hi\n");
    assertThat(lines()).containsExactly("! bob blocked you or you blocked bob");
  }

  @Test
  void sendRefusedBetweenStrangers_suggestsAFriendRequest() throws IOException {
    backend.refuseNextSend = ErrorCode.NOT_FRIENDS;
    run("@bob hi\n");
    assertThat(lines()).containsExactly("! you and bob are not friends yet: :add bob");
  }

  @Test
  void friends_areListedWithTheirOnlineState() throws IOException {
    backend.friends.add(new Friend(BOB, "bob", "", null, true, null));
    backend.friends.add(new Friend(DAVE, "dave", "", null, false, null));

    run(":friends\n");

    assertThat(lines())
        .containsExactly(
            "friends: 2 (1 online)", "  bob (id 1002) online", "  dave (id 1003) offline");
  }

  @Test
  void noFriends_saysHowToAddOne() throws IOException {
    run(":friends\n");
    assertThat(lines()).containsExactly("no friends yet: :add <username> [message]");
  }

  @Test
  void add_sendsAFriendRequestToTheResolvedUser() throws IOException {
    run(":add bob hi there\n:add dave\n:add zed\n");

    assertThat(backend.calls).containsExactly("request 1002 hi there", "request 1003 null");
    assertThat(lines())
        .containsExactly(
            "friend request sent to bob (request 1)",
            "friend request sent to dave (request 2)",
            "! unknown user: zed");
  }

  @Test
  void refusedFriendRequest_printsTheProblemCodeAndDetail() throws IOException {
    backend.refuseNextApiCall =
        new ApiException(
            "POST /api/v1/friend-requests", 409, "already-friends", "Conflict", "you are friends");
    run(":add bob\n");
    assertThat(lines()).containsExactly("! cannot add bob: already-friends (you are friends)");
  }

  @Test
  void requests_listsPendingIncomingRequestsWithIds_andAcceptAndRejectAnswerThem()
      throws IOException {
    backend.incoming.add(new FriendRequest(12, BOB, ALICE, "hi", "PENDING", null));
    backend.incoming.add(new FriendRequest(13, DAVE, ALICE, null, "PENDING", null));

    run(":requests\n:accept 12\n:reject 13\n:requests\n");

    assertThat(backend.calls).containsExactly("accept 12", "reject 13");
    assertThat(lines())
        .containsExactly(
            "friend requests: 2",
            "  #12 from bob: \"hi\"  (:accept 12 / :reject 12)",
            "  #13 from dave  (:accept 13 / :reject 13)",
            "you and bob are friends now",
            "friend request 13 from dave rejected",
            "no pending friend requests");
  }

  @Test
  void blockAndUnblock_resolveTheName() throws IOException {
    run(":block bob\n:unblock bob\n:block zed\n");

    assertThat(backend.calls).containsExactly("block 1002", "unblock 1002");
    assertThat(lines())
        .containsExactly(
            "blocked bob: no messages either way", "unblocked bob", "! unknown user: zed");
  }

  @Test
  void notices_areShownAsTheyHappen_withNames() {
    session.onNotice(
        Notice.newBuilder()
            .setType(NoticeType.FRIEND_REQUEST)
            .setFromUserId(BOB)
            .setFriendRequestId(12)
            .setText("hi")
            .build());
    session.onNotice(
        Notice.newBuilder()
            .setType(NoticeType.FRIEND_REQUEST)
            .setFromUserId(DAVE)
            .setFriendRequestId(13)
            .build());
    session.onNotice(
        Notice.newBuilder().setType(NoticeType.FRIEND_ACCEPTED).setFromUserId(BOB).build());
    session.onNotice(
        Notice.newBuilder()
            .setType(NoticeType.PRESENCE)
            .setFromUserId(BOB)
            .setOnline(true)
            .build());
    session.onNotice(
        Notice.newBuilder()
            .setType(NoticeType.PRESENCE)
            .setFromUserId(BOB)
            .setOnline(false)
            .build());

    assertThat(lines())
        .containsExactly(
            "* bob wants to be your friend: \"hi\" (request 12, :accept 12)",
            "* dave wants to be your friend (request 13, :accept 13)",
            "* bob accepted your friend request",
            "* bob is online",
            "* bob went offline");
    assertThat(backend.idLookups).as("each name looked up once").containsExactly(BOB, DAVE);
  }

  @Test
  void help_listsTheFriendCommands() throws IOException {
    run(":help\n");
    assertThat(output.toString())
        .contains(":friends", ":add user [msg]", ":requests", ":accept id", ":reject id")
        .contains(":block user", ":unblock user");
  }

  /** Answers like a small server with users alice, bob and dave. */
  private static final class FakeBackend implements ChatBackend {
    final Map<String, Long> users = Map.of("alice", ALICE, "bob", BOB, "dave", DAVE);
    final List<String> sent = new ArrayList<>();
    final List<String> lookups = new ArrayList<>();
    final List<Long> idLookups = new ArrayList<>();
    final List<String> reads = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    final List<Friend> friends = new ArrayList<>();
    final List<FriendRequest> incoming = new ArrayList<>();
    ErrorCode refuseNextSend;
    ApiException refuseNextApiCall;
    long seq;
    long requestIds;

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
      idLookups.add(userId);
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

    @Override
    public List<Friend> friends() {
      return List.copyOf(friends);
    }

    @Override
    public FriendRequest sendFriendRequest(long toUserId, String message) {
      refuseIfAsked();
      calls.add("request " + toUserId + " " + message);
      return new FriendRequest(++requestIds, ALICE, toUserId, message, "PENDING", null);
    }

    @Override
    public List<FriendRequest> incomingFriendRequests() {
      return List.copyOf(incoming);
    }

    @Override
    public FriendRequest acceptFriendRequest(long requestId) {
      calls.add("accept " + requestId);
      return answer(requestId, "ACCEPTED");
    }

    @Override
    public FriendRequest rejectFriendRequest(long requestId) {
      calls.add("reject " + requestId);
      return answer(requestId, "REJECTED");
    }

    @Override
    public void block(long userId) {
      refuseIfAsked();
      calls.add("block " + userId);
    }

    @Override
    public void unblock(long userId) {
      calls.add("unblock " + userId);
    }

    private FriendRequest answer(long requestId, String status) {
      FriendRequest request =
          incoming.stream().filter(r -> r.id() == requestId).findFirst().orElseThrow();
      incoming.remove(request);
      return new FriendRequest(
          requestId, request.fromUserId(), ALICE, request.message(), status, null);
    }

    private void refuseIfAsked() {
      if (refuseNextApiCall != null) {
        ApiException e = refuseNextApiCall;
        refuseNextApiCall = null;
        throw e;
      }
    }
  }
}
