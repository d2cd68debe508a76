package dev.switchboard.launcher.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import dev.switchboard.launcher.system.ClusterExtension.TestCluster;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.MsgType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Messages and receipts for users who are offline reach them when they log in. */
@ExtendWith(ClusterExtension.class)
class OfflineDeliverySystemIT {
  private static final Logger log = LoggerFactory.getLogger(OfflineDeliverySystemIT.class);
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
  void anOfflineUser_getsEverythingFiveSendersSent_onceEachAndInOrder_atLogin() throws Exception {
    int senders = 5;
    int perSender = 200;
    DeliveryChecker checker = new DeliveryChecker();
    ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2);
    List<ChatUser> friends = new ArrayList<>();
    try {
      for (int i = 0; i < senders; i++) {
        ChatUser sender =
            ChatUser.connect(cluster.apiUrl(), "sender" + i, i % 2 == 0 ? connector1 : connector2);
        sender.befriend(bob);
        friends.add(sender);
      }
      bob.close();

      List<CompletableFuture<AckMsg>> sends = new ArrayList<>();
      for (int n = 0; n < perSender; n++) {
        for (ChatUser sender : friends) {
          sends.add(sender.client.sendText(bob.id(), sender.account.username() + " " + n));
        }
      }
      for (CompletableFuture<AckMsg> send : sends) {
        AckMsg sent = send.get(60, TimeUnit.SECONDS);
        checker.sent(
            sent.getClientMsgId(),
            sent.getAckMsgId(),
            sent.getConversationId(),
            sent.getSeq(),
            bob.id());
      }

      long loginAt = System.nanoTime();
      try (ChatUser bobAgain = bob.connectAgain(connector1)) {
        checker.expectDevice(bob.id(), bobAgain.client.deviceId());
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> bobAgain.messages.size() >= senders * perSender);
        log.info(
            "offline sync: {} messages from {} senders in {} ms",
            senders * perSender,
            senders,
            (System.nanoTime() - loginAt) / 1_000_000);
        for (ChatMsg message : bobAgain.messages) {
          checker.surfaced(
              bobAgain.client.deviceId(),
              message.getId(),
              message.getConversationId(),
              message.getSeq());
        }
      }

      DeliveryChecker.Report report = checker.report();
      assertThat(report.clean()).as(report.toString()).isTrue();
      assertThat(report.sent()).isEqualTo(senders * perSender);
    } finally {
      friends.forEach(ChatUser::close);
    }
  }

  @Test
  void receiptsForAnOfflineSender_reachItAtItsNextLogin() throws Exception {
    ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
    try (ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2)) {
      alice.befriend(bob);
      // Bob's client acknowledges at once; hold Bob's copy until Alice is gone.
      bob.close();
      AckMsg sent = alice.client.sendText(bob.id(), "read me later").get(20, TimeUnit.SECONDS);
      alice.close();

      try (ChatUser bobAgain = bob.connectAgain(connector2)) {
        bobAgain.awaitMessages(1);
        ChatMsg message = bobAgain.messages.get(0);
        assertThat(message.getId()).isEqualTo(sent.getAckMsgId());
        bobAgain.client.markRead(message.getConversationId(), message.getSeq());

        try (ChatUser aliceAgain = alice.connectAgain(connector1)) {
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      !aliceAgain.receiptsOf(MsgType.DELIVERED).isEmpty()
                          && !aliceAgain.receiptsOf(MsgType.READ).isEmpty());
          assertThat(aliceAgain.receiptsOf(MsgType.DELIVERED).get(0).getAckMsgId())
              .isEqualTo(sent.getAckMsgId());
          assertThat(aliceAgain.receiptsOf(MsgType.READ).get(0).getSeq())
              .isEqualTo(message.getSeq());
        }
      }
    }
  }
}
