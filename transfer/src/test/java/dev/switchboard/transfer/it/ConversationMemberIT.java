package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.transfer.db.Databases;
import dev.switchboard.transfer.sequence.MessageStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * conversation_member, which offline-store reads to sync conversations it has not stored yet:
 * written with a conversation's first seq, and back-filled for conversations that existed before.
 */
@ExtendWith(InfraExtension.class)
class ConversationMemberIT {
  private final AtomicLong ids = new AtomicLong(5_000);

  private static ChatMsg msg(long from, long dest, String clientMsgId) {
    return ChatMsg.newBuilder()
        .setFromId(from)
        .setDestId(dest)
        .setClientMsgId(clientMsgId)
        .setConversationId("s_" + Math.min(from, dest) + "_" + Math.max(from, dest))
        .setMsgBody("hi")
        .build();
  }

  private static List<String> members(TestDatabase db) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT user_id, conversation_id FROM conversation_member"
                    + " ORDER BY conversation_id, user_id")) {
      while (r.next()) {
        rows.add(r.getLong(1) + "@" + r.getString(2));
      }
    }
    return rows;
  }

  @Test
  void firstMessage_recordsBothMembersInItsTransaction_laterMessagesDoNot(EmbeddedMariaDb mariaDb)
      throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_members");
    try (HikariDataSource pool = db.migratedPool()) {
      MessageStore store = new MessageStore(pool);
      assertThat(store.accept(msg(12, 3, "a"), ids::incrementAndGet, 1L).message().getSeq())
          .isEqualTo(1);
      assertThat(members(db)).containsExactly("3@s_3_12", "12@s_3_12");

      // Rows removed behind its back are not written again: only seq 1 writes them.
      db.execute("DELETE FROM conversation_member");
      assertThat(store.accept(msg(3, 12, "b"), ids::incrementAndGet, 2L).message().getSeq())
          .isEqualTo(2);
      assertThat(members(db)).isEmpty();

      // A note to oneself: one member.
      store.accept(msg(7, 7, "self"), ids::incrementAndGet, 3L);
      assertThat(members(db)).containsExactly("7@s_7_7");
    }
  }

  @Test
  void migration_backfillsMembersOfExistingConversations_andQueuesRecentMessages(
      EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_backfill");
    try (HikariDataSource pool = db.poolMigratedTo("1")) {
      // The schema as V1 left it, with conversations accepted back then.
      long now = System.currentTimeMillis();
      db.execute(
          "INSERT INTO conversation_seq (conversation_id, last_seq) VALUES"
              + " ('s_1_2', 2), ('s_5_40', 1), ('s_9_9', 1)");
      db.execute(
          "INSERT INTO accepted_message"
              + " (msg_id, sender_id, client_msg_id, conversation_id, seq, sent_at_ms, msg) VALUES"
              + " (1, 1, 'old-1', 's_1_2', 1, ?, x''), (2, 2, 'old-2', 's_1_2', 2, ?, x''),"
              + " (3, 40, 'recent', 's_5_40', 1, ?, x''), (4, 9, 'self', 's_9_9', 1, ?, x'')",
          now - 86_400_000L,
          now - 86_400_000L,
          now - 60_000L,
          now - 86_400_000L);

      Databases.migrate(pool);

      assertThat(members(db))
          .containsExactly("1@s_1_2", "2@s_1_2", "5@s_5_40", "40@s_5_40", "9@s_9_9");
      // The last hour may hold holes from before the outbox: queued for republishing.
      assertThat(OutboxRows.rows(db)).isOne();
      assertThat(OutboxRows.naming(db, 3)).isOne();
      assertThat(OutboxRows.unconfirmedMessages(db)).isEqualTo(4);
    }
  }
}
