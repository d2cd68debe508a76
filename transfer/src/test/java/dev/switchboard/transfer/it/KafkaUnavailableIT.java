package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.common.net.Ports;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.SendAckRequest;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A transfer whose broker is unreachable must never answer SENT; the client's retry with the same
 * client_msg_id, once a broker is reachable, gets the original id and seq, durably.
 */
@ExtendWith(InfraExtension.class)
class KafkaUnavailableIT {

  private static ChatMsg text(long from, long dest, String clientMsgId) {
    return ChatMsg.newBuilder()
        .setFromId(from)
        .setFromDeviceId("phone")
        .setDestId(dest)
        .setClientMsgId(clientMsgId)
        .setMsgBody("hello")
        .build();
  }

  @Test
  void brokerUnreachable_answersUnavailableNeverSent_andARetryLaterKeepsIdAndSeq(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_nokafka");
    db.createUsersTable();
    db.insertUsers(1, 2);
    String topic = "it.nokafka." + UUID.randomUUID();
    Map<String, String> deadBroker =
        TransferFixture.env("127.0.0.1:" + Ports.freePort(), topic, db, zk.connectString());
    deadBroker.put("IM_KAFKA_CREATE_TOPIC", "false");
    deadBroker.put("IM_KAFKA_DELIVERY_TIMEOUT", "1s");

    AckMsg stored;
    try (TransferFixture broken = TransferFixture.start(deadBroker)) {
      SendChatResponse first = broken.send(text(1, 2, "c-1"));
      assertThat(first.hasSent()).as("%s", first).isFalse();
      assertThat(first.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(first.getError().getMessage())
          .isEqualTo("not confirmed durable yet; retry with the same client_msg_id");
      assertThat(first.getError().getClientMsgId()).isEqualTo("c-1");

      SendChatResponse retry = broken.send(text(1, 2, "c-1"));
      assertThat(retry.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);

      SendAckResponse receipt =
          broken
              .stub()
              .sendAck(
                  SendAckRequest.newBuilder()
                      .setAck(
                          AckMsg.newBuilder()
                              .setMsgType(MsgType.DELIVERED)
                              .setFromId(2)
                              .setDestId(1)
                              .setAckMsgId(5)
                              .setConversationId("s_1_2"))
                      .build());
      assertThat(receipt.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
    // The sequencing row stays (one, seq 1) so that the retry can complete it.
    assertThat(db.count("SELECT COUNT(*) FROM accepted_message WHERE sender_id = 1")).isEqualTo(1);
    assertThat(db.count("SELECT seq FROM accepted_message WHERE sender_id = 1")).isEqualTo(1);

    // The client retries on a transfer that reaches the broker.
    try (TransferFixture healthy =
            TransferFixture.start(
                TransferFixture.env(kafka.bootstrapServers(), topic, db, zk.connectString()));
        MessageLogReader log = new MessageLogReader(kafka.bootstrapServers(), topic)) {
      SendChatResponse retried = healthy.send(text(1, 2, "c-1"));
      assertThat(retried.hasSent()).as("%s", retried).isTrue();
      stored = retried.getSent();
      assertThat(stored.getSeq()).isEqualTo(1);
      assertThat(db.count("SELECT msg_id FROM accepted_message WHERE sender_id = 1"))
          .isEqualTo(stored.getAckMsgId());
      List<ChatMsg> logged = log.awaitChats(m -> m.getId() == stored.getAckMsgId(), 1);
      assertThat(logged.get(0).getSeq()).isEqualTo(1);
    }
  }

  @Test
  void brokerStoppingAfterStart_givesUnavailable_andTheRetryAfterItsReturnIsSentWithTheSameSeq(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_kafkadown");
    db.createUsersTable();
    db.insertUsers(1, 2);
    String topic = "it.kafkadown." + UUID.randomUUID();
    Map<String, String> env =
        TransferFixture.env(kafka.bootstrapServers(), topic, db, zk.connectString());
    env.put("IM_KAFKA_DELIVERY_TIMEOUT", "1500ms");
    try (TransferFixture transfer = TransferFixture.start(env)) {
      assertThat(transfer.send(text(1, 2, "before")).getSent().getSeq()).isEqualTo(1);

      AckMsg sent;
      kafka.stop();
      try {
        SendChatResponse down = transfer.send(text(1, 2, "during"));
        assertThat(down.hasSent()).as("%s", down).isFalse();
        assertThat(down.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
      } finally {
        kafka.startAgain();
      }
      // The client keeps retrying with the same client_msg_id until the broker is back.
      sent =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> transfer.send(text(1, 2, "during")), SendChatResponse::hasSent)
              .getSent();
      assertThat(sent.getSeq()).isEqualTo(2);
      assertThat(transfer.send(text(2, 1, "after")).getSent().getSeq()).isEqualTo(3);
      try (MessageLogReader log = new MessageLogReader(kafka.bootstrapServers(), topic)) {
        List<ChatMsg> logged = log.awaitChats(m -> m.getConversationId().equals("s_1_2"), 3);
        assertThat(logged.stream().map(ChatMsg::getSeq).distinct().sorted().toList())
            .containsExactly(1L, 2L, 3L);
        assertThat(logged.stream().filter(m -> m.getSeq() == 2).map(ChatMsg::getId).distinct())
            .containsExactly(sent.getAckMsgId());
      }
    } finally {
      kafka.startAgain();
    }
  }
}
