package dev.switchboard.offlinestore.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.offlinestore.store.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A migrated database with enough rows that the optimizer's choices mean something, and EXPLAIN
 * checks: every table of a query is read through a key (range, ref, eq_ref or const), never by a
 * full scan, and no query sorts (the key order is the answer's order). That is what keeps sync and
 * history independent of the total history size.
 */
public final class QueryPlans implements AutoCloseable {
  /** A user with many conversations, each with messages, a device cursor and receipts. */
  public static final long USER = 7;

  public static final String DEVICE = "phone";
  public static final int CONVERSATIONS = 300;

  /** Conversations of {@link #USER} that transfer allocated seqs in but this store has not seen. */
  public static final int ALLOCATED_ONLY = 100;

  public static final int MESSAGES_PER_CONVERSATION = 60;

  private static final Set<String> INDEX_ACCESS = Set.of("range", "ref", "eq_ref", "const");

  private final HikariDataSource dataSource;

  private QueryPlans(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  public static QueryPlans withData(EmbeddedMariaDb mariaDb) throws SQLException {
    TestDatabase db = TestDatabase.create(mariaDb, "offline_plans");
    HikariDataSource dataSource = Databases.pool(db.url, db.user, db.password, 2, "plans");
    Databases.migrate(dataSource);
    // transfer's tables, read by sync (same database in a real deployment).
    db.createConversationSeqTable();
    db.createConversationMemberTable();
    QueryPlans plans = new QueryPlans(dataSource);
    plans.fill();
    return plans;
  }

  /** The id of the first receipt addressed to {@link #USER} (after conversation 0's messages). */
  public static final long A_RECEIPT_ID = MESSAGES_PER_CONVERSATION + 1;

  public static String conversation(int i) {
    return "s_" + USER + "_" + (1_000 + i);
  }

  /** A conversation of {@link #USER} only allocated by transfer (nothing stored). */
  public static String allocatedOnly(int i) {
    return "s_" + USER + "_" + (5_000 + i);
  }

  private void fill() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement message =
              c.prepareStatement(
                  "INSERT INTO message (conversation_id, seq, msg_id, sender_id, dest_id,"
                      + " conversation_type, content_type, sent_at_ms, msg)"
                      + " VALUES (?, ?, ?, ?, ?, 1, 1, 0, ?)");
          PreparedStatement conversation =
              c.prepareStatement(
                  "INSERT INTO conversation (conversation_id, conversation_type, last_seq,"
                      + " last_msg_id, last_sent_at_ms) VALUES (?, 1, ?, 0, 0)");
          PreparedStatement member =
              c.prepareStatement(
                  "INSERT INTO user_conversation (user_id, conversation_id, peer_id)"
                      + " VALUES (?, ?, ?)");
          PreparedStatement cursor =
              c.prepareStatement(
                  "INSERT INTO device_cursor (user_id, device_id, conversation_id, delivered_seq)"
                      + " VALUES (?, ?, ?, ?)");
          PreparedStatement receipt =
              c.prepareStatement(
                  "INSERT INTO receipt (id, user_id, user_seq, conversation_id, msg_type,"
                      + " ack_msg_id, from_id, seq, sent_at_ms, msg)"
                      + " VALUES (?, ?, ?, ?, 2, 0, ?, 1, 0, ?)");
          PreparedStatement transferMember =
              c.prepareStatement(
                  "INSERT INTO conversation_member (user_id, conversation_id) VALUES (?, ?)");
          PreparedStatement allocated =
              c.prepareStatement(
                  "INSERT INTO conversation_seq (conversation_id, last_seq) VALUES (?, ?)")) {
        long id = 1;
        for (int i = 0; i < CONVERSATIONS; i++) {
          String conversationId = conversation(i);
          long peer = 1_000 + i;
          for (int seq = 1; seq <= MESSAGES_PER_CONVERSATION; seq++) {
            message.setString(1, conversationId);
            message.setLong(2, seq);
            message.setLong(3, id++);
            message.setLong(4, peer);
            message.setLong(5, USER);
            message.setBytes(6, new byte[64]);
            message.addBatch();
          }
          conversation.setString(1, conversationId);
          conversation.setLong(2, MESSAGES_PER_CONVERSATION);
          conversation.addBatch();
          for (long[] pair : new long[][] {{USER, peer}, {peer, USER}}) {
            member.setLong(1, pair[0]);
            member.setString(2, conversationId);
            member.setLong(3, pair[1]);
            member.addBatch();
            transferMember.setLong(1, pair[0]);
            transferMember.setString(2, conversationId);
            transferMember.addBatch();
          }
          allocated.setString(1, conversationId);
          allocated.setLong(2, MESSAGES_PER_CONVERSATION + 1);
          allocated.addBatch();
          cursor.setLong(1, USER);
          cursor.setString(2, DEVICE);
          cursor.setString(3, conversationId);
          cursor.setLong(4, MESSAGES_PER_CONVERSATION / 2);
          cursor.addBatch();
          for (int r = 1; r <= 10; r++) {
            receipt.setLong(1, id++);
            receipt.setLong(2, r == 1 ? USER : peer);
            receipt.setLong(3, r == 1 ? i + 1 : r);
            receipt.setString(4, conversationId);
            receipt.setLong(5, r == 1 ? peer : USER);
            receipt.setBytes(6, new byte[16]);
            receipt.addBatch();
          }
        }
        for (int i = 0; i < ALLOCATED_ONLY; i++) {
          for (long user : new long[] {USER, 5_000 + i}) {
            transferMember.setLong(1, user);
            transferMember.setString(2, allocatedOnly(i));
            transferMember.addBatch();
          }
          allocated.setString(1, allocatedOnly(i));
          allocated.setLong(2, 1);
          allocated.addBatch();
        }
        message.executeBatch();
        conversation.executeBatch();
        transferMember.executeBatch();
        allocated.executeBatch();
        member.executeBatch();
        cursor.executeBatch();
        receipt.executeBatch();
      }
      try (Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO device_receipt_cursor (user_id, device_id, last_receipt_seq) VALUES ("
                + USER
                + ", '"
                + DEVICE
                + "', 3), ("
                + (USER + 1)
                + ", '"
                + DEVICE
                + "', 3)");
      }
      c.commit();
      try (Statement s = c.createStatement()) {
        s.execute(
            "ANALYZE TABLE message, conversation, user_conversation, device_cursor, receipt,"
                + " device_receipt_cursor, conversation_member, conversation_seq");
      }
    }
  }

  /** EXPLAINs {@code sql} with these parameters and checks every row of the plan. */
  public List<String> assertIndexOnly(String sql, Object... parameters) throws SQLException {
    List<String> plan = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 0; i < parameters.length; i++) {
        explain.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          String table = rows.getString("table");
          String type = rows.getString("type");
          String key = rows.getString("key");
          String extra = String.valueOf(rows.getString("Extra"));
          String line = table + ": " + type + " on " + key + " (" + extra + ")";
          plan.add(line);
          assertThat(type).as(sql + "\n" + line).isIn(INDEX_ACCESS);
          assertThat(key).as(sql + "\n" + line).isNotNull();
          assertThat(extra).as(sql + "\n" + line).doesNotContain("filesort");
        }
      }
    }
    assertThat(plan).as("plan of " + sql).isNotEmpty();
    return plan;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
