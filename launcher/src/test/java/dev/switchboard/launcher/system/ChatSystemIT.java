package dev.switchboard.launcher.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.ServerErrorException;
import dev.switchboard.common.chat.Conversations;
import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.launcher.system.ClusterExtension.TestCluster;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.MsgType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two users chatting through the whole cluster, driven with the client SDK. */
@ExtendWith(ClusterExtension.class)
class ChatSystemIT {
  private static TestCluster cluster;
  private static ConnectorServer connector1;
  private static ConnectorServer connector2;

  @BeforeAll
  static void cluster(TestCluster testCluster) {
    cluster = testCluster;
    connector1 = testCluster.cluster().connectors().get(0);
    connector2 = testCluster.cluster().connectors().get(1);
  }

  @Test
  void aliceAndBobOnTwoConnectors_chatWithSentDeliveredAndRead() throws Exception {
    try (ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
        ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2)) {
      alice.befriend(bob);
      assertThat(alice.client.connectorId()).isNotEqualTo(bob.client.connectorId());

      AckMsg sent = alice.client.sendText(bob.id(), "hello Bob").get(20, TimeUnit.SECONDS);

      assertThat(sent.getMsgType()).isEqualTo(MsgType.SENT);
      assertThat(sent.getAckMsgId()).isPositive();
      assertThat(sent.getSeq()).isEqualTo(1);
      assertThat(sent.getConversationId()).isEqualTo(Conversations.single(alice.id(), bob.id()));

      bob.awaitMessages(1);
      ChatMsg received = bob.messages.get(0);
      assertThat(received.getFromId()).isEqualTo(alice.id());
      assertThat(received.getDestId()).isEqualTo(bob.id());
      assertThat(received.getMsgBody()).isEqualTo("hello Bob");
      assertThat(received.getId()).isEqualTo(sent.getAckMsgId());
      assertThat(received.getSeq()).isEqualTo(sent.getSeq());
      assertThat(received.getSentAtMs()).isPositive();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !alice.receiptsOf(MsgType.DELIVERED).isEmpty());
      AckMsg delivered = alice.receiptsOf(MsgType.DELIVERED).get(0);
      assertThat(delivered.getFromId()).isEqualTo(bob.id());
      assertThat(delivered.getAckMsgId()).isEqualTo(sent.getAckMsgId());
      assertThat(alice.receiptsOf(MsgType.READ)).isEmpty();

      bob.client.markRead(received.getConversationId(), received.getSeq());

      await().atMost(Duration.ofSeconds(20)).until(() -> !alice.receiptsOf(MsgType.READ).isEmpty());
      AckMsg read = alice.receiptsOf(MsgType.READ).get(0);
      assertThat(read.getFromId()).isEqualTo(bob.id());
      assertThat(read.getSeq()).isEqualTo(received.getSeq());
      assertThat(read.getConversationId()).isEqualTo(received.getConversationId());
    }
  }

  @Test
  void bothOnOneConnector_chatWithReceipts() throws Exception {
    try (ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
        ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector1)) {
      alice.befriend(bob);
      AckMsg sent = alice.client.sendText(bob.id(), "same connector").get(20, TimeUnit.SECONDS);

      bob.awaitMessages(1);
      assertThat(bob.messages.get(0).getId()).isEqualTo(sent.getAckMsgId());
      assertThat(bob.messages.get(0).getFromId()).isEqualTo(alice.id());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !alice.receiptsOf(MsgType.DELIVERED).isEmpty());

      AckMsg reply = bob.client.sendText(alice.id(), "and back").get(20, TimeUnit.SECONDS);
      assertThat(reply.getSeq()).isEqualTo(sent.getSeq() + 1);
      alice.awaitMessages(1);
      assertThat(alice.messages.get(0).getMsgBody()).isEqualTo("and back");
    }
  }

  @Test
  void thousandMessagesInARow_arriveOnceEachInSeqOrderWithoutGaps() throws Exception {
    int count = 1_000;
    try (ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
        ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2)) {
      alice.befriend(bob);
      List<CompletableFuture<AckMsg>> sends = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        sends.add(alice.client.sendText(bob.id(), "message " + i));
      }
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

      for (int i = 0; i < count; i++) {
        // The connector forwards a session's messages in the order they were written.
        assertThat(sends.get(i).get().getSeq()).as("SENT seq of message %d", i).isEqualTo(i + 1);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> bob.messages.size() >= count);
      assertThat(bob.messages).hasSize(count);
      for (int i = 0; i < count; i++) {
        ChatMsg message = bob.messages.get(i);
        assertThat(message.getSeq()).as("seq of surfaced message %d", i).isEqualTo(i + 1);
        assertThat(message.getMsgBody()).isEqualTo("message " + i);
      }
      assertThat(bob.messages.stream().map(ChatMsg::getId).distinct()).hasSize(count);
      // Bob's SDK acknowledges bursts with one DELIVERED naming many messages; Alice's reports
      // each message's receipt once.
      List<Long> sentIds = new ArrayList<>();
      for (CompletableFuture<AckMsg> send : sends) {
        sentIds.add(send.get().getAckMsgId());
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> alice.receiptsOf(MsgType.DELIVERED).size() >= count);
      assertThat(alice.receiptsOf(MsgType.DELIVERED))
          .extracting(AckMsg::getAckMsgId)
          .containsExactlyInAnyOrderElementsOf(sentIds);
    }
  }

  @Test
  void resendingAClientMsgId_answersTheSameIdAndSeq_andBobSeesItOnce() throws Exception {
    try (ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
        ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2)) {
      alice.befriend(bob);
      ChatMsg draft =
          ChatMsg.newBuilder()
              .setClientMsgId(UUID.randomUUID().toString())
              .setDestId(bob.id())
              .setConversationType(ConversationType.SINGLE)
              .setContentType(ContentType.TEXT)
              .setMsgBody("only once")
              .build();

      AckMsg first = alice.client.send(draft).get(20, TimeUnit.SECONDS);
      AckMsg second = alice.client.send(draft).get(20, TimeUnit.SECONDS);
      AckMsg after = alice.client.sendText(bob.id(), "after").get(20, TimeUnit.SECONDS);

      assertThat(second.getAckMsgId()).isEqualTo(first.getAckMsgId());
      assertThat(second.getSeq()).isEqualTo(first.getSeq());
      assertThat(after.getSeq()).isEqualTo(first.getSeq() + 1);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> bob.messages.stream().anyMatch(m -> m.getId() == after.getAckMsgId()));
      assertThat(bob.messages)
          .extracting(ChatMsg::getMsgBody)
          .containsExactly("only once", "after");
    }
  }

  @Test
  void fromIdSetByTheClient_isIgnoredForTheSessionsUser() throws Exception {
    try (ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
        ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2);
        ChatUser carol = ChatUser.connect(cluster.apiUrl(), "carol", connector2)) {
      alice.befriend(bob);
      ChatMsg spoofed =
          ChatMsg.newBuilder()
              .setFromId(carol.id())
              .setDestId(bob.id())
              .setConversationType(ConversationType.SINGLE)
              .setContentType(ContentType.TEXT)
              .setMsgBody("who am I")
              .setSeq(999)
              .setId(123)
              .build();

      AckMsg sent = alice.client.send(spoofed).get(20, TimeUnit.SECONDS);

      bob.awaitMessages(1);
      ChatMsg received = bob.messages.get(0);
      assertThat(received.getFromId()).isEqualTo(alice.id());
      assertThat(received.getConversationId())
          .isEqualTo(Conversations.single(alice.id(), bob.id()));
      assertThat(received.getId()).isEqualTo(sent.getAckMsgId()).isNotEqualTo(123);
      assertThat(received.getSeq()).isEqualTo(1);
      assertThat(carol.messages).isEmpty();
    }
  }

  @Test
  void unknownDestination_isRefusedWithAnError_andTheConnectionStaysUsable() throws Exception {
    try (ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
        ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2)) {
      alice.befriend(bob);
      CompletableFuture<AckMsg> refused = alice.client.sendText(9_000_000_000L, "anyone?");

      assertThatThrownBy(() -> refused.get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              ServerErrorException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION));

      assertThat(alice.client.isConnected()).isTrue();
      AckMsg sent = alice.client.sendText(bob.id(), "still here").get(20, TimeUnit.SECONDS);
      assertThat(sent.getSeq()).isEqualTo(1);
      bob.awaitMessages(1);
    }
  }
}
