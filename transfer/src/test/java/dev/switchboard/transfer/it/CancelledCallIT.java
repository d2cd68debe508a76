package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.SendChatRequest;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.proto.internal.TransferGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A call whose caller gave up while it waited for its sequencing batch takes no seq: otherwise the
 * client's retry (another client_msg_id after a timeout is not unusual) would follow a message the
 * client never learnt about, and every such call would cost a transaction nobody reads.
 */
@ExtendWith(InfraExtension.class)
class CancelledCallIT {

  private static ChatMsg text(long from, long dest, String clientMsgId) {
    return ChatMsg.newBuilder()
        .setFromId(from)
        .setFromDeviceId("phone")
        .setDestId(dest)
        .setClientMsgId(clientMsgId)
        .setMsgBody("x")
        .build();
  }

  @Test
  void callPastItsDeadlineBeforeItRuns_allocatesNoSeq(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_cancel");
    db.createUsersTable();
    db.insertUsers(1, 4);
    Map<String, String> env =
        TransferFixture.env(
            kafka.bootstrapServers(), "it.cancel." + UUID.randomUUID(), db, zk.connectString());
    // One sequencing lane: a message waits there, without a thread of its own, for its batch.
    env.put("IM_SEQUENCING_LANES", "1");
    try (TransferFixture transfer = TransferFixture.start(env)) {
      assertThat(transfer.send(text(1, 2, "warm-up")).getSent().getSeq()).isEqualTo(1);

      CompletableFuture<SendChatResponse> blocked;
      try (Connection lock = db.connect()) {
        // Hold conversation s_1_2's seq row: the next message of it blocks the only lane.
        lock.setAutoCommit(false);
        try (Statement s = lock.createStatement()) {
          s.executeQuery(
              "SELECT last_seq FROM conversation_seq WHERE conversation_id = 's_1_2' FOR UPDATE");
        }
        blocked = CompletableFuture.supplyAsync(() -> transfer.send(text(1, 2, "blocked")));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    db.count(
                            "SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                                + " WHERE trx_state = 'LOCK WAIT'")
                        > 0);

        // Queued behind it; the caller gives up before its batch forms.
        long givenUpSent = System.nanoTime();
        assertThatThrownBy(
                () ->
                    TransferGrpc.newBlockingStub(transfer.channel)
                        .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                        .sendChat(
                            SendChatRequest.newBuilder().setMsg(text(3, 4, "given-up")).build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        // The server's deadline for that call counts from its arrival, a little after the
        // client's: the lane must not be freed before the server, too, has seen the call expire.
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> System.nanoTime() - givenUpSent > Duration.ofMillis(500).toNanos());
        lock.rollback();
      }
      assertThat(blocked.get(10, TimeUnit.SECONDS).getSent().getSeq()).isEqualTo(2);

      // Sequenced after the abandoned call (one lane, FIFO): s_3_4 still starts at seq 1.
      assertThat(transfer.send(text(3, 4, "after")).getSent().getSeq()).isEqualTo(1);
      assertThat(
              db.count("SELECT COUNT(*) FROM accepted_message WHERE client_msg_id = ?", "given-up"))
          .isZero();
      assertThat(transfer.metric("transfer_calls_abandoned_total")).isEqualTo(1);
    }
  }
}
