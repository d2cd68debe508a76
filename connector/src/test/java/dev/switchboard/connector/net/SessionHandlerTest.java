package dev.switchboard.connector.net;

import static dev.switchboard.connector.testing.ClientHarness.read;
import static dev.switchboard.connector.testing.ClientHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connector.route.OrderedChatForwarder;
import dev.switchboard.connector.testing.ClientHarness;
import dev.switchboard.connector.testing.ScriptedForwarder.AckCall;
import dev.switchboard.connector.testing.ScriptedForwarder.ChatCall;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.Ping;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatResponse;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionHandlerTest {
  private static final long ALICE = 7;
  private static final long BOB = 8;

  private ClientHarness harness = new ClientHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void ping_isAnsweredWithPongOfTheSameTime() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");

    send(
        alice,
        Frame.newBuilder().setRequestId(4).setPing(Ping.newBuilder().setTimeMs(1234)).build());

    List<Frame> out = read(alice);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getPong().getTimeMs()).isEqualTo(1234);
    assertThat(out.get(0).getRequestId()).isEqualTo(4);
  }

  @Test
  void chatMsgWithSpoofedSender_isForwardedAsTheSessionUser() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");

    send(
        alice,
        chat(
            1,
            ChatMsg.newBuilder()
                .setClientMsgId("c1")
                .setDestId(BOB)
                .setMsgBody("hi")
                .setFromId(BOB) // pretends to be Bob
                .setFromDeviceId("bobs-phone")
                .setId(999)
                .setSeq(55)
                .setSentAtMs(123)
                .setConversationId("s_1_2")
                .build()));

    assertThat(harness.forwarder.chats).hasSize(1);
    ChatMsg forwarded = harness.forwarder.chats.get(0).msg();
    assertThat(forwarded.getFromId()).isEqualTo(ALICE);
    assertThat(forwarded.getFromDeviceId()).isEqualTo("phone");
    assertThat(forwarded.getId()).isZero();
    assertThat(forwarded.getSeq()).isZero();
    assertThat(forwarded.getSentAtMs()).isZero();
    assertThat(forwarded.getConversationId()).isEmpty();
    assertThat(forwarded.getClientMsgId()).isEqualTo("c1");
    assertThat(forwarded.getDestId()).isEqualTo(BOB);
    assertThat(forwarded.getMsgBody()).isEqualTo("hi");
  }

  @Test
  void sentChatMsg_isAnsweredWithTheSentAckEchoingTheRequestId() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");
    send(alice, chat(17, message("c1")));

    AckMsg sent =
        AckMsg.newBuilder()
            .setMsgType(MsgType.SENT)
            .setAckMsgId(1001)
            .setSeq(1)
            .setClientMsgId("c1")
            .setConversationId("s_7_8")
            .build();
    harness
        .forwarder
        .chats
        .get(0)
        .answer()
        .complete(SendChatResponse.newBuilder().setSent(sent).build());

    List<Frame> out = read(alice);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getRequestId()).isEqualTo(17);
    assertThat(out.get(0).getAckMsg()).isEqualTo(sent);
  }

  @Test
  void unknownDestination_isAnErrorAndTheConnectionStaysOpen() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");
    send(alice, chat(3, message("c1")));

    harness
        .forwarder
        .chats
        .get(0)
        .answer()
        .complete(
            SendChatResponse.newBuilder()
                .setError(
                    Error.newBuilder()
                        .setCode(ErrorCode.UNKNOWN_DESTINATION)
                        .setMessage("no user 8"))
                .build());

    List<Frame> out = read(alice);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getRequestId()).isEqualTo(3);
    Error error = out.get(0).getError();
    assertThat(error.getCode()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION);
    assertThat(error.getRequestId()).isEqualTo(3);
    assertThat(error.getClientMsgId()).isEqualTo("c1");
    assertThat(alice.isOpen()).isTrue();

    // and the connection keeps working
    send(alice, chat(4, message("c2")));
    assertThat(harness.forwarder.chats).hasSize(2);
  }

  @Test
  void chatMsgsArrivingWhileOthersAreOut_leaveAsOneGroupInArrivalOrder_afterTheseWereAnswered() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");

    send(alice, chat(1, message("c1")), chat(2, message("c2")));
    send(alice, chat(3, message("c3")));

    assertThat(harness.forwarder.chats)
        .extracting(c -> c.msg().getClientMsgId())
        .containsExactly("c1");

    complete(harness.forwarder.chats.get(0), 1);
    read(alice);
    assertThat(harness.forwarder.chats)
        .extracting(c -> c.msg().getClientMsgId())
        .containsExactly("c1", "c2", "c3");
    assertThat(harness.forwarder.chatGroups).containsExactly(1, 2);

    send(alice, chat(4, message("c4")));
    assertThat(harness.forwarder.chats).hasSize(3); // waits for the whole group

    complete(harness.forwarder.chats.get(1), 2);
    complete(harness.forwarder.chats.get(2), 3);
    assertThat(read(alice)).extracting(Frame::getRequestId).containsExactly(2L, 3L);
    assertThat(harness.forwarder.chatGroups).containsExactly(1, 2, 1);
  }

  @Test
  void answersOfAGroup_areWrittenInTheOrderOfItsMessages_howeverTheyArrive() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");
    send(alice, chat(1, message("c1")));
    send(alice, chat(2, message("c2")), chat(3, message("c3")), chat(4, message("c4")));
    complete(harness.forwarder.chats.get(0), 1);
    assertThat(read(alice)).extracting(Frame::getRequestId).containsExactly(1L);

    complete(harness.forwarder.chats.get(3), 4);
    complete(harness.forwarder.chats.get(2), 3);
    assertThat(read(alice)).isEmpty();

    complete(harness.forwarder.chats.get(1), 2);
    assertThat(read(alice)).extracting(Frame::getRequestId).containsExactly(2L, 3L, 4L);
  }

  @Test
  void aLongQueue_leavesInGroupsOfAtMostMaxGroup() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");
    send(alice, chat(1, message("c1")));
    int queued = OrderedChatForwarder.MAX_GROUP + 5;
    for (int i = 0; i < queued; i++) {
      send(alice, chat(10 + i, message("q" + i)));
    }

    complete(harness.forwarder.chats.get(0), 1);
    read(alice);
    assertThat(harness.forwarder.chatGroups).containsExactly(1, OrderedChatForwarder.MAX_GROUP);
    for (int i = 1; i <= OrderedChatForwarder.MAX_GROUP; i++) {
      complete(harness.forwarder.chats.get(i), i + 1);
    }
    read(alice);
    assertThat(harness.forwarder.chatGroups).containsExactly(1, OrderedChatForwarder.MAX_GROUP, 5);
    assertThat(harness.forwarder.chats)
        .extracting(c -> c.msg().getClientMsgId())
        .endsWith("q" + (queued - 1));
  }

  @Test
  void answersComeBackInOrder_evenWhenAFailureIsAmongThem() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");
    send(alice, chat(1, message("c1")), chat(2, message("c2")));

    harness
        .forwarder
        .chats
        .get(0)
        .answer()
        .completeExceptionally(new IllegalStateException("boom"));
    alice.runPendingTasks();
    complete(harness.forwarder.chats.get(1), 2);

    List<Frame> out = read(alice);
    assertThat(out).extracting(Frame::getRequestId).containsExactly(1L, 2L);
    assertThat(out.get(0).getError().getCode()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(out.get(0).getError().getClientMsgId()).isEqualTo("c1");
    assertThat(out.get(1).hasAckMsg()).isTrue();
    assertThat(alice.isOpen()).isTrue();
  }

  @Test
  void chatMsgsBeyondTheQueueBound_getRateLimited() {
    harness.close();
    harness = new ClientHarness(2);
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");

    // one in flight, two waiting, the fourth is refused
    send(
        alice,
        chat(1, message("c1")),
        chat(2, message("c2")),
        chat(3, message("c3")),
        chat(4, message("c4")));

    List<Frame> out = read(alice);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getError().getCode()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(out.get(0).getError().getClientMsgId()).isEqualTo("c4");
    assertThat(out.get(0).getRequestId()).isEqualTo(4);
    assertThat(alice.isOpen()).isTrue();
  }

  @Test
  void waitingChatMsgs_areDroppedWhenTheConnectionCloses() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");
    send(alice, chat(1, message("c1")), chat(2, message("c2")));

    alice.close();
    complete(harness.forwarder.chats.get(0), 1);
    alice.runPendingTasks();

    assertThat(harness.forwarder.chats).hasSize(1);
  }

  @Test
  void receipt_isForwardedAsTheSessionUserWithoutAnswer() {
    EmbeddedChannel bob = harness.loggedIn(BOB, "tablet");

    send(
        bob,
        Frame.newBuilder()
            .setRequestId(6)
            .setAckMsg(
                AckMsg.newBuilder()
                    .setMsgType(MsgType.DELIVERED)
                    .setFromId(ALICE) // spoofed
                    .setDestId(ALICE)
                    .setAckMsgId(1001)
                    .setSeq(1)
                    .setConversationId("s_7_8"))
            .build());

    assertThat(harness.forwarder.acks).hasSize(1);
    AckCall call = harness.forwarder.acks.get(0);
    assertThat(call.ack().getFromId()).isEqualTo(BOB);
    assertThat(call.ack().getDestId()).isEqualTo(ALICE);
    assertThat(call.fromDeviceId()).isEqualTo("tablet");

    call.answer().complete(SendAckResponse.getDefaultInstance());
    assertThat(read(bob)).isEmpty();
  }

  @Test
  void refusedReceipt_isAnsweredWithTheError() {
    EmbeddedChannel bob = harness.loggedIn(BOB, "tablet");
    send(
        bob,
        Frame.newBuilder()
            .setRequestId(6)
            .setAckMsg(AckMsg.newBuilder().setMsgType(MsgType.READ).setDestId(ALICE).setSeq(3))
            .build());

    harness
        .forwarder
        .acks
        .get(0)
        .answer()
        .complete(
            SendAckResponse.newBuilder()
                .setError(Error.newBuilder().setCode(ErrorCode.UNAVAILABLE).setMessage("down"))
                .build());

    List<Frame> out = read(bob);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(out.get(0).getRequestId()).isEqualTo(6);
  }

  @Test
  void sentReceiptFromAClient_isRefusedAsInvalid() {
    EmbeddedChannel bob = harness.loggedIn(BOB, "tablet");
    send(
        bob,
        Frame.newBuilder()
            .setRequestId(6)
            .setAckMsg(AckMsg.newBuilder().setMsgType(MsgType.SENT).setDestId(ALICE))
            .build());

    assertThat(harness.forwarder.acks).isEmpty();
    assertThat(read(bob).get(0).getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
  }

  @Test
  void frameWithoutBody_isUnsupportedAndTheConnectionStays() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");

    send(alice, Frame.newBuilder().setRequestId(8).build());

    assertThat(read(alice).get(0).getError().getCode()).isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(alice.isOpen()).isTrue();
  }

  @Test
  void silentConnection_isClosedAfterTheIdleTimeout() {
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");

    alice.advanceTimeBy(89, TimeUnit.SECONDS);
    alice.runScheduledPendingTasks();
    assertThat(alice.isOpen()).isTrue();

    alice.advanceTimeBy(2, TimeUnit.SECONDS);
    alice.runScheduledPendingTasks();
    assertThat(alice.isOpen()).isFalse();
    assertThat(harness.sessions.size()).isZero();
  }

  private static void complete(ChatCall call, long seq) {
    call.answer()
        .complete(
            SendChatResponse.newBuilder()
                .setSent(
                    AckMsg.newBuilder()
                        .setMsgType(MsgType.SENT)
                        .setSeq(seq)
                        .setClientMsgId(call.msg().getClientMsgId()))
                .build());
  }

  private static ChatMsg message(String clientMsgId) {
    return ChatMsg.newBuilder()
        .setClientMsgId(clientMsgId)
        .setDestId(BOB)
        .setConversationType(ConversationType.SINGLE)
        .setMsgBody("hello " + clientMsgId)
        .build();
  }

  private static Frame chat(long requestId, ChatMsg msg) {
    return Frame.newBuilder().setRequestId(requestId).setChatMsg(msg).build();
  }
}
