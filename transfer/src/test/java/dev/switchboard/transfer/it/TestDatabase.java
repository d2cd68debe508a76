package dev.switchboard.transfer.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.transfer.db.Databases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/** A fresh database per test class on the shared MariaDB, plus the helpers tests need on it. */
final class TestDatabase {
  final String url;
  final String user;
  final String password;

  private TestDatabase(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  static TestDatabase create(EmbeddedMariaDb mariaDb, String prefix) {
    String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return new TestDatabase(mariaDb.jdbcUrl(name), mariaDb.user(), mariaDb.password());
  }

  /**
   * A pool on this database with transfer's migrations applied up to {@code version} only: the
   * schema an older release left, to test the next migrations on. {@link Databases#migrate} brings
   * it up to date.
   */
  HikariDataSource poolMigratedTo(String version) {
    HikariDataSource pool = Databases.pool(url, user, password, 2, "test-" + UUID.randomUUID());
    Flyway.configure()
        .dataSource(pool)
        .locations(Databases.MIGRATIONS)
        .table(Databases.HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .target(version)
        .load()
        .migrate();
    return pool;
  }

  /** A pool on this database with transfer's migrations applied, as a TransferServer has. */
  HikariDataSource migratedPool() {
    HikariDataSource pool = Databases.pool(url, user, password, 8, "test-" + UUID.randomUUID());
    Databases.migrate(pool);
    return pool;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** account-api's table, in the shape CONTEXT.md gives; transfer only reads it. */
  void createUsersTable() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS users ("
              + " id BIGINT AUTO_INCREMENT PRIMARY KEY,"
              + " username VARCHAR(32) NOT NULL UNIQUE,"
              + " password_hash VARCHAR(255) NOT NULL,"
              + " nickname VARCHAR(64),"
              + " created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    }
  }

  /** account-api's relation tables, with the DDL the friends issue gives; transfer only reads. */
  void createRelationTables() throws SQLException {
    execute(
        "CREATE TABLE IF NOT EXISTS friendship(user_id BIGINT, friend_id BIGINT, created_at"
            + " TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY(user_id, friend_id))");
    execute(
        "CREATE TABLE IF NOT EXISTS user_block(user_id BIGINT, blocked_user_id BIGINT, created_at"
            + " TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
            + " PRIMARY KEY(user_id, blocked_user_id))");
  }

  /** Two rows per friendship, as account-api writes them. */
  void befriend(long a, long b) throws SQLException {
    execute("INSERT INTO friendship (user_id, friend_id) VALUES (?, ?), (?, ?)", a, b, b, a);
  }

  void unfriend(long a, long b) throws SQLException {
    execute(
        "DELETE FROM friendship WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND"
            + " friend_id = ?)",
        a,
        b,
        b,
        a);
  }

  /** {@code blocker} blocked {@code blocked}. */
  void block(long blocker, long blocked) throws SQLException {
    execute("INSERT INTO user_block (user_id, blocked_user_id) VALUES (?, ?)", blocker, blocked);
  }

  void execute(String sql, Object... args) throws SQLException {
    try (Connection c = connect();
        PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      statement.execute();
    }
  }

  void insertUsers(long firstId, long lastId) throws SQLException {
    try (Connection c = connect();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO users (id, username, password_hash) VALUES (?, ?, ?)")) {
      for (long id = firstId; id <= lastId; id++) {
        insert.setLong(1, id);
        insert.setString(2, "user" + id);
        insert.setString(3, "x");
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  long count(String sql, Object... args) throws SQLException {
    try (Connection c = connect();
        PreparedStatement select = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        select.setObject(i + 1, args[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
