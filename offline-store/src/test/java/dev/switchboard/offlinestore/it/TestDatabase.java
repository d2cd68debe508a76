package dev.switchboard.offlinestore.it;

import dev.switchboard.devkit.EmbeddedMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A fresh database per test class on the shared MariaDB, plus the helpers tests need on it. */
public final class TestDatabase {
  public final String url;
  public final String user;
  public final String password;

  private TestDatabase(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  public static TestDatabase create(EmbeddedMariaDb mariaDb, String prefix) {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return new TestDatabase(mariaDb.jdbcUrl(name), mariaDb.user(), mariaDb.password());
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** transfer's allocator table, with transfer's DDL (V1__accepted_message.sql). */
  public void createConversationSeqTable() throws SQLException {
    execute(
        "CREATE TABLE IF NOT EXISTS conversation_seq ("
            + " conversation_id VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,"
            + " last_seq BIGINT NOT NULL,"
            + " PRIMARY KEY (conversation_id)) ENGINE = InnoDB");
  }

  /**
   * transfer's membership table, with the exact DDL of its migration: written in the transaction
   * that allocates a conversation's first seq, for both members.
   */
  public void createConversationMemberTable() throws SQLException {
    execute(
        "CREATE TABLE IF NOT EXISTS conversation_member ("
            + " user_id BIGINT NOT NULL,"
            + " conversation_id VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,"
            + " PRIMARY KEY (user_id, conversation_id))");
  }

  /** What transfer does when it allocates a conversation's first seq: both members are noted. */
  public void addMembers(String conversationId, long... userIds) throws SQLException {
    try (Connection c = connect();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT IGNORE INTO conversation_member (user_id, conversation_id) VALUES (?, ?)")) {
      for (long userId : userIds) {
        insert.setLong(1, userId);
        insert.setString(2, conversationId);
        insert.executeUpdate();
      }
    }
  }

  /** What transfer does when it accepts a message: the allocated seq moves up. */
  public void allocate(String conversationId, long lastSeq) throws SQLException {
    try (Connection c = connect();
        PreparedStatement upsert =
            c.prepareStatement(
                "INSERT INTO conversation_seq (conversation_id, last_seq) VALUES (?, ?)"
                    + " ON DUPLICATE KEY UPDATE last_seq = VALUES(last_seq)")) {
      upsert.setString(1, conversationId);
      upsert.setLong(2, lastSeq);
      upsert.executeUpdate();
    }
  }

  public void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  public long count(String sql, Object... args) throws SQLException {
    try (Connection c = connect();
        PreparedStatement select = c.prepareStatement(sql)) {
      bind(select, args);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  public List<Long> longs(String sql, Object... args) throws SQLException {
    List<Long> values = new ArrayList<>();
    try (Connection c = connect();
        PreparedStatement select = c.prepareStatement(sql)) {
      bind(select, args);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getLong(1));
        }
      }
    }
    return values;
  }

  private static void bind(PreparedStatement statement, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      statement.setObject(i + 1, args[i]);
    }
  }
}
