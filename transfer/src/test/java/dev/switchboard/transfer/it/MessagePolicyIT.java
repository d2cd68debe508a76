package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.InvalidateRelationsRequest;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.proto.internal.UserPair;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The message policy on real MariaDB, Kafka and ZooKeeper: one friends-only and one open instance
 * on the same database, with account-api's friendship and user_block tables seeded by the test.
 * Each test uses its own users.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagePolicyIT {
  private static final String LOADS = "transfer_relations_loads_total";

  private final AtomicLong nextUser = new AtomicLong(1);
  private TestDatabase db;
  private TransferFixture friendsOnly;
  private TransferFixture open;
  private MessageLogReader topic;

  @BeforeAll
  void start(EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    db = TestDatabase.create(mariaDb, "transfer_policy");
    db.createUsersTable();
    db.insertUsers(1, 200);
    db.createRelationTables();
    String topicName = "it.policy." + UUID.randomUUID();
    Map<String, String> env =
        TransferFixture.env(kafka.bootstrapServers(), topicName, db, zk.connectString());
    env.remove("IM_MESSAGE_POLICY"); // the default
    friendsOnly = TransferFixture.start(env);
    env.put("IM_MESSAGE_POLICY", "open");
    open = TransferFixture.start(env);
    topic = new MessageLogReader(kafka.bootstrapServers(), topicName);
  }

  @AfterAll
  void stop() throws Exception {
    if (topic != null) {
      topic.close();
    }
    if (open != null) {
      open.close();
    }
    if (friendsOnly != null) {
      friendsOnly.close();
    }
  }

  private long[] newUsers() {
    return new long[] {nextUser.getAndIncrement(), nextUser.getAndIncrement()};
  }

  private static ChatMsg text(long from, long dest, String clientMsgId) {
    return ChatMsg.newBuilder()
        .setFromId(from)
        .setFromDeviceId("phone")
        .setDestId(dest)
        .setClientMsgId(clientMsgId)
        .setMsgBody("hi")
        .build();
  }

  private static AckMsg delivered(long from, long dest) {
    return AckMsg.newBuilder()
        .setMsgType(MsgType.DELIVERED)
        .setFromId(from)
        .setDestId(dest)
        .setAckMsgId(1)
        .setConversationId(conversation(from, dest))
        .build();
  }

  private static String conversation(long a, long b) {
    return "s_" + Math.min(a, b) + "_" + Math.max(a, b);
  }

  private long storedFrom(long sender) throws Exception {
    return db.count("SELECT COUNT(*) FROM accepted_message WHERE sender_id = ?", sender);
  }

  @Test
  void friendsOnly_refusesStrangersWithNotFriends_andStoresNothing() throws Exception {
    long[] u = newUsers();

    SendChatResponse refused = friendsOnly.send(text(u[0], u[1], "stranger-1"));

    assertThat(refused.hasError()).as("%s", refused).isTrue();
    assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.NOT_FRIENDS);
    assertThat(refused.getError().getClientMsgId()).isEqualTo("stranger-1");
    assertThat(storedFrom(u[0])).isZero();
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM conversation_seq WHERE conversation_id = ?",
                conversation(u[0], u[1])))
        .isZero();

    // Once they are friends (and account-api told transfer), the first message gets seq 1: the
    // refusal took no seq. It is also the only record of the conversation on the topic.
    db.befriend(u[0], u[1]);
    friendsOnly.invalidate(u[0], u[1]);
    SendChatResponse allowed = friendsOnly.send(text(u[0], u[1], "friend-1"));
    assertThat(allowed.hasSent()).as("%s", allowed).isTrue();
    assertThat(allowed.getSent().getSeq()).isEqualTo(1);
    assertThat(topic.awaitChats(m -> m.getConversationId().equals(conversation(u[0], u[1])), 1))
        .extracting(ChatMsg::getClientMsgId)
        .containsExactly("friend-1");
  }

  @Test
  void friends_canChatBothWays() throws Exception {
    long[] u = newUsers();
    db.befriend(u[0], u[1]);

    assertThat(friendsOnly.send(text(u[0], u[1], "a")).getSent().getSeq()).isEqualTo(1);
    assertThat(friendsOnly.send(text(u[1], u[0], "b")).getSent().getSeq()).isEqualTo(2);
    assertThat(friendsOnly.sendAck(delivered(u[1], u[0])).hasError()).isFalse();
  }

  @Test
  void open_letsStrangersChat() {
    long[] u = newUsers();
    SendChatResponse response = open.send(text(u[0], u[1], "open-1"));
    assertThat(response.hasSent()).as("%s", response).isTrue();
    assertThat(response.getSent().getSeq()).isEqualTo(1);
  }

  @Test
  void noteToSelf_isAllowedWithoutAFriendship() {
    long[] u = newUsers();
    assertThat(friendsOnly.send(text(u[0], u[0], "self")).hasSent()).isTrue();
  }

  @Test
  void aBlock_refusesMessagesAndReceiptsBothWays_underBothPolicies() throws Exception {
    long[] u = newUsers();
    db.befriend(u[0], u[1]);
    db.block(u[1], u[0]); // the second user blocked the first

    for (TransferFixture transfer : new TransferFixture[] {friendsOnly, open}) {
      SendChatResponse there = transfer.send(text(u[0], u[1], "blocked-1"));
      SendChatResponse back = transfer.send(text(u[1], u[0], "blocked-2"));
      assertThat(there.getError().getCode()).isEqualTo(ErrorCode.BLOCKED);
      assertThat(there.getError().getMessage()).contains("blocked").contains("nothing was stored");
      assertThat(back.getError().getCode()).isEqualTo(ErrorCode.BLOCKED);

      SendAckResponse receipt = transfer.sendAck(delivered(u[0], u[1]));
      assertThat(receipt.getError().getCode()).isEqualTo(ErrorCode.BLOCKED);
    }
    assertThat(storedFrom(u[0]) + storedFrom(u[1])).isZero();
  }

  @Test
  void unfriend_holdsForTheVeryNextMessage_onceInvalidated_andTheCacheSparesTheDatabase()
      throws Exception {
    long[] u = newUsers();
    db.befriend(u[0], u[1]);
    assertThat(friendsOnly.send(text(u[0], u[1], "u-1")).hasSent()).isTrue();
    double loadsAfterFirst = friendsOnly.metric(LOADS);

    // Messages in both directions are answered from the cache: no query per message.
    assertThat(friendsOnly.send(text(u[1], u[0], "u-2")).hasSent()).isTrue();
    assertThat(friendsOnly.send(text(u[0], u[1], "u-3")).hasSent()).isTrue();
    assertThat(friendsOnly.metric(LOADS)).isEqualTo(loadsAfterFirst);

    // Without the invalidation the deleted friendship is not seen (the cache answers) ...
    db.unfriend(u[0], u[1]);
    assertThat(friendsOnly.send(text(u[0], u[1], "u-4")).hasSent()).isTrue();
    assertThat(friendsOnly.metric(LOADS)).isEqualTo(loadsAfterFirst);

    // ... with it, the very next message is refused, after exactly one query.
    friendsOnly.invalidate(u[1], u[0]);
    SendChatResponse refused = friendsOnly.send(text(u[0], u[1], "u-5"));
    assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.NOT_FRIENDS);
    assertThat(friendsOnly.metric(LOADS)).isEqualTo(loadsAfterFirst + 1);
    assertThat(friendsOnly.metric("transfer_relations_invalidated_total")).isPositive();
  }

  @Test
  void aBlockAfterChatting_holdsForTheVeryNextMessage_onceInvalidated() throws Exception {
    long[] u = newUsers();
    assertThat(open.send(text(u[0], u[1], "b-1")).hasSent()).isTrue();

    db.block(u[0], u[1]);
    open.invalidate(u[0], u[1]);

    assertThat(open.send(text(u[1], u[0], "b-2")).getError().getCode())
        .isEqualTo(ErrorCode.BLOCKED);
  }

  @Test
  void retryOfAnAcceptedMessage_getsItsOriginalSent_evenAfterABlock() throws Exception {
    long[] u = newUsers();
    db.befriend(u[0], u[1]);
    SendChatResponse first = friendsOnly.send(text(u[0], u[1], "accepted-then-blocked"));
    assertThat(first.hasSent()).as("%s", first).isTrue();

    // The SENT answer was lost; meanwhile the recipient blocked the sender.
    db.block(u[1], u[0]);
    friendsOnly.invalidate(u[0], u[1]);

    SendChatResponse retry = friendsOnly.send(text(u[0], u[1], "accepted-then-blocked"));
    assertThat(retry.hasSent()).as("%s", retry).isTrue();
    assertThat(retry.getSent()).isEqualTo(first.getSent());
    // A new message is refused.
    assertThat(friendsOnly.send(text(u[0], u[1], "new-after-block")).getError().getCode())
        .isEqualTo(ErrorCode.BLOCKED);
    assertThat(storedFrom(u[0])).isOne();
  }

  @Test
  void invalidateRelations_withAnInvalidPair_isInvalidArgument() {
    assertThatThrownBy(
            () ->
                friendsOnly
                    .stub()
                    .invalidateRelations(
                        InvalidateRelationsRequest.newBuilder()
                            .addPairs(UserPair.newBuilder().setA(1).setB(0))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }
}
