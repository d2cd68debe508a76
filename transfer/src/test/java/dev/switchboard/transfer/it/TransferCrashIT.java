package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.transfer.message.IntakeHook;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link dev.switchboard.transfer.TransferServer#crash()} against {@code close()}, on the one
 * message that tells them apart: a SendChat in flight between its sequencing commit and its Kafka
 * append. close() lets it finish (SENT, in Kafka, marked published); crash() cuts it off
 * unanswered, never produces it, frees the instance's registration and worker id at once, and
 * leaves the committed seq to another instance's outbox.
 */
@ExtendWith(InfraExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TransferCrashIT {
  private static final String IN_FLIGHT = "in-flight";

  /** Holds the in-flight message right after its commit until the test lets it go on. */
  private static final class HoldAfterCommit implements IntakeHook {
    final CountDownLatch committed = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void afterCommit(ChatMsg accepted) {
      if (!accepted.getClientMsgId().equals(IN_FLIGHT)) {
        return;
      }
      committed.countDown();
      // Deaf to the crash's interrupt on purpose: the message goes on to the Kafka append only
      // once the test says so, i.e. after crash() returned (a dead process appends nothing).
      boolean interrupted = false;
      while (true) {
        try {
          release.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static ChatMsg text(long from, long dest, String clientMsgId) {
    return ChatMsg.newBuilder()
        .setFromId(from)
        .setFromDeviceId("phone")
        .setDestId(dest)
        .setClientMsgId(clientMsgId)
        .setMsgBody("hello " + clientMsgId)
        .build();
  }

  private static Map<String, String> env(
      EmbeddedKafka kafka, String topic, TestDatabase db, EmbeddedZooKeeper zk) {
    Map<String, String> env =
        TransferFixture.env(kafka.bootstrapServers(), topic, db, zk.connectString());
    env.put("IM_KAFKA_DELIVERY_TIMEOUT", "1s");
    env.put("IM_OUTBOX_REPUBLISH_INTERVAL", "250ms");
    return env;
  }

  private static long msgId(TestDatabase db, String clientMsgId) throws Exception {
    return db.count(
        "SELECT msg_id FROM accepted_message WHERE sender_id = 1 AND client_msg_id = ?",
        clientMsgId);
  }

  private static long unpublished(TestDatabase db, long msgId) throws Exception {
    return OutboxRows.naming(db, msgId);
  }

  @Test
  void crash_cutsTheCallInFlightOff_producesNothing_andLeavesItsSeqToAnotherInstancesOutbox(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_crash");
    db.createUsersTable();
    db.insertUsers(1, 2);
    String topic = "it.crash." + UUID.randomUUID();
    Map<String, String> victimEnv = env(kafka, topic, db, zk);
    victimEnv.put("IM_OUTBOX_REPUBLISH_INTERVAL", "1h"); // only the survivor republishes
    HoldAfterCommit hold = new HoldAfterCommit();
    try (TransferFixture survivor = TransferFixture.start(env(kafka, topic, db, zk));
        MessageLogReader log = new MessageLogReader(kafka.bootstrapServers(), topic);
        TransferFixture victim = TransferFixture.start(victimEnv, hold)) {
      String victimId = victim.server.instanceId();
      int victimWorkerId = victim.server.workerId();
      CompletableFuture<SendChatResponse> inFlight =
          CompletableFuture.supplyAsync(() -> victim.send(text(1, 2, IN_FLIGHT)));
      assertThat(hold.committed.await(10, TimeUnit.SECONDS)).isTrue();

      long crashStarted = System.nanoTime();
      victim.server.crash();
      long crashMs = (System.nanoTime() - crashStarted) / 1_000_000;
      hold.release.countDown();

      // close() would have waited for the call (up to IM_SHUTDOWN_TIMEOUT, 3 s here).
      assertThat(crashMs).as("crash() waited for the call in flight").isLessThan(2_000);
      assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e ->
                  assertThat(e.getStatus().getCode())
                      .isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED));

      // The session ended with the crash: registration and worker id are free at once.
      Map<String, String> replacementEnv = env(kafka, topic, db, zk);
      replacementEnv.put("IM_OUTBOX_REPUBLISH_INTERVAL", "1h");
      try (CuratorFramework client =
              ZooKeeperClients.connect(zk.connectString(), Duration.ofSeconds(10));
          Discovery discovery = new Discovery(client);
          TransferFixture replacement = TransferFixture.start(replacementEnv)) {
        ServiceDirectory transfers = discovery.directory(ServiceNames.TRANSFER);
        assertThat(replacement.server.workerId()).isEqualTo(victimWorkerId);
        String replacementId = replacement.server.instanceId();
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> transfers.all().stream().map(ServiceEndpoint::id).toList(),
                ids -> ids.contains(replacementId) && !ids.contains(victimId));
      }

      // The seq was committed; the victim never produced it; the survivor's outbox does.
      long msgId = msgId(db, IN_FLIGHT);
      List<ChatMsg> logged = log.awaitChats(m -> m.getId() == msgId, 1);
      assertThat(logged).hasSize(1);
      assertThat(logged.get(0).getSeq()).isEqualTo(1);
      assertThat(survivor.metric("transfer_outbox_republished_total")).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> unpublished(db, msgId) == 0);

      // The sender's retry answers the original message, and the conversation goes on without a
      // hole.
      AckMsg resent = survivor.send(text(1, 2, IN_FLIGHT)).getSent();
      assertThat(resent.getAckMsgId()).isEqualTo(msgId);
      assertThat(survivor.send(text(2, 1, "next")).getSent().getSeq()).isEqualTo(2);
    }
  }

  @Test
  void close_letsTheCallInFlightFinish_inKafkaAndMarkedPublished(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_close");
    db.createUsersTable();
    db.insertUsers(1, 2);
    String topic = "it.close." + UUID.randomUUID();
    Map<String, String> victimEnv = env(kafka, topic, db, zk);
    victimEnv.put("IM_OUTBOX_REPUBLISH_INTERVAL", "1h"); // the outbox must not be what saves it
    HoldAfterCommit hold = new HoldAfterCommit();
    try (CuratorFramework client =
            ZooKeeperClients.connect(zk.connectString(), Duration.ofSeconds(10));
        Discovery discovery = new Discovery(client);
        TransferFixture victim = TransferFixture.start(victimEnv, hold);
        MessageLogReader log = new MessageLogReader(kafka.bootstrapServers(), topic)) {
      ServiceDirectory transfers = discovery.directory(ServiceNames.TRANSFER);
      String victimId = victim.server.instanceId();
      CompletableFuture<SendChatResponse> inFlight =
          CompletableFuture.supplyAsync(() -> victim.send(text(1, 2, IN_FLIGHT)));
      assertThat(hold.committed.await(10, TimeUnit.SECONDS)).isTrue();

      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> transfers.all().stream().map(ServiceEndpoint::id).anyMatch(victimId::equals));
      CompletableFuture<Void> closing = CompletableFuture.runAsync(victim.server::close);
      // close() deregisters first, then waits for the calls in flight: let the held one go on
      // only once it is stopping.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> transfers.all().stream().map(ServiceEndpoint::id).noneMatch(victimId::equals));
      assertThat(closing).isNotDone();
      hold.release.countDown();

      SendChatResponse answered = inFlight.get(10, TimeUnit.SECONDS);
      closing.get(10, TimeUnit.SECONDS);
      assertThat(answered.hasSent()).as("%s", answered).isTrue();
      long msgId = msgId(db, IN_FLIGHT);
      assertThat(answered.getSent().getAckMsgId()).isEqualTo(msgId);
      assertThat(log.awaitChats(m -> m.getId() == msgId, 1)).hasSize(1);
      assertThat(unpublished(db, msgId)).as("marked published before close() returned").isZero();
    }
  }
}
