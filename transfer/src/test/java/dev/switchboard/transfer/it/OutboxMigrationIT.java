package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.MessageEvent;
import dev.switchboard.transfer.db.Databases;
import dev.switchboard.transfer.log.MessageLog;
import dev.switchboard.transfer.ops.TransferMetrics;
import dev.switchboard.transfer.outbox.OutboxRow;
import dev.switchboard.transfer.outbox.OutboxTable;
import dev.switchboard.transfer.outbox.Republisher;
import dev.switchboard.transfer.sequence.MessageStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** V3 moves the per-message outbox of V2 into batch rows without losing or inventing anything. */
@ExtendWith(InfraExtension.class)
class OutboxMigrationIT {

  private static ChatMsg stored(long id, String clientMsgId, long seq) {
    return ChatMsg.newBuilder()
        .setId(id)
        .setFromId(1)
        .setDestId(2)
        .setClientMsgId(clientMsgId)
        .setConversationId("s_1_2")
        .setSeq(seq)
        .setSentAtMs(1_000)
        .setMsgBody("body of " + clientMsgId)
        .build();
  }

  @Test
  void unconfirmedMessagesOfV2_becomeRowsOfOne_andTheMarkedOnesStayPublished(
      EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_outbox_v3");
    try (HikariDataSource pool = db.poolMigratedTo("2")) {
      long now = System.currentTimeMillis();
      // As V2 left them: marked published, unconfirmed (one claimed by a republisher), and
      // accepted before V2 (unknown).
      long[] ids = {11, 12, 13, 14};
      String[] names = {"marked", "in-outbox", "claimed", "unknown"};
      for (int i = 0; i < ids.length; i++) {
        db.execute(
            "INSERT INTO accepted_message (msg_id, sender_id, client_msg_id, conversation_id, seq,"
                + " sent_at_ms, msg, published_at_ms) VALUES (?, 1, ?, 's_1_2', ?, ?, ?, ?)",
            ids[i],
            names[i],
            i + 1,
            now - 60_000,
            stored(ids[i], names[i], i + 1).toByteArray(),
            i == 0 ? now - 59_000 : null);
      }
      db.execute(
          "INSERT INTO unpublished_message (msg_id, sent_at_ms, claimed_until_ms) VALUES"
              + " (12, ?, 0), (13, ?, ?)",
          now - 60_000,
          now - 60_000,
          now + 3_600_000);

      Databases.migrate(pool);

      assertThat(
              db.count(
                  "SELECT COUNT(*) FROM information_schema.TABLES"
                      + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'unpublished%'"))
          .isZero();
      assertThat(OutboxRows.rows(db)).isEqualTo(2);
      for (long id : new long[] {12, 13}) {
        assertThat(OutboxRows.naming(db, id)).isOne();
        assertThat(msgIds(db, id)).isEqualTo(OutboxRow.pack(java.util.List.of(id)));
      }
      assertThat(db.count("SELECT claimed_until_ms FROM outbox_batch WHERE id = 13"))
          .isEqualTo(now + 3_600_000);
      assertThat(db.count("SELECT COUNT(*) FROM accepted_message WHERE outbox_id IS NOT NULL"))
          .isEqualTo(2);

      MessageStore store = new MessageStore(pool);
      assertThat(store.findBySender(1, "marked").orElseThrow().published()).isTrue();
      assertThat(store.findBySender(1, "in-outbox").orElseThrow().published()).isFalse();
      assertThat(store.findBySender(1, "claimed").orElseThrow().published()).isFalse();
      assertThat(store.findBySender(1, "unknown").orElseThrow().published()).isFalse();

      // The republisher takes the carried-over row that is not claimed, exactly as stored.
      MockProducer<byte[], byte[]> producer =
          new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
      Republisher republisher =
          new Republisher(
              new OutboxTable(pool),
              new MessageLog(producer, "it.outbox.v3", Duration.ofSeconds(1)),
              new TransferMetrics(new SimpleMeterRegistry()),
              Clock.systemUTC(),
              Duration.ofSeconds(5),
              Duration.ofSeconds(30),
              10);
      assertThat(republisher.republishDue()).isOne();
      assertThat(producer.history()).hasSize(1);
      assertThat(MessageEvent.parseFrom(producer.history().get(0).value()).getChat())
          .isEqualTo(stored(12, "in-outbox", 2));
      assertThat(store.findBySender(1, "in-outbox").orElseThrow().published()).isTrue();
      assertThat(OutboxRows.rows(db)).isOne();
    }
  }

  private static byte[] msgIds(TestDatabase db, long rowId) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement select =
            c.prepareStatement("SELECT msg_ids FROM outbox_batch WHERE id = ?")) {
      select.setLong(1, rowId);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getBytes(1);
      }
    }
  }
}
