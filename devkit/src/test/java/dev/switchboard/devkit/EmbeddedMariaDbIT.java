package dev.switchboard.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMariaDbIT {

  @TempDir Path dataDir;

  @Test
  void startedServer_createsDatabasesTablesAndReturnsUtf8mb4Rows() throws SQLException {
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0);
        Connection connection = connect(db, "devkit_crud");
        Statement sql = connection.createStatement()) {
      assertThat(db.jdbcUrl("devkit_crud"))
          .isEqualTo(
              "jdbc:mysql://127.0.0.1:"
                  + db.port()
                  + "/devkit_crud?useSSL=false&allowPublicKeyRetrieval=true");
      assertThat(db.user()).isEqualTo("root");
      assertThat(db.password()).isEmpty();
      sql.execute("CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(32))");
      sql.executeUpdate("INSERT INTO users (name) VALUES ('alice'), ('bob😀')");
      try (ResultSet rows = sql.executeQuery("SELECT name FROM users ORDER BY id")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("alice");
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("bob😀");
      }
      try (ResultSet version = sql.executeQuery("SELECT VERSION(), @@character_set_database")) {
        assertThat(version.next()).isTrue();
        assertThat(version.getString(1)).contains("MariaDB");
        assertThat(version.getString(2)).isEqualTo("utf8mb4");
      }
      assertThatThrownBy(() -> db.jdbcUrl("x`; DROP DATABASE mysql; --"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("database name");
    }
  }

  @Test
  void rows_surviveAStopAndStartOnTheSameDataDir() throws SQLException {
    int port;
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0);
        Connection connection = connect(db, "devkit_restart");
        Statement sql = connection.createStatement()) {
      port = db.port();
      sql.execute("CREATE TABLE kept (id INT PRIMARY KEY, note VARCHAR(64))");
      sql.executeUpdate("INSERT INTO kept VALUES (1, 'across restarts')");
    }
    assertThat(Ports.isFree(port)).isTrue();
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0);
        Connection connection = connect(db, "devkit_restart");
        Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT note FROM kept WHERE id = 1")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("across restarts");
    }
  }

  @Test
  void portInUse_failsWithAClearMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> EmbeddedMariaDb.start(dataDir, taken.getLocalPort()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("port " + taken.getLocalPort() + " for MariaDB is already in use");
    }
  }

  @Test
  void serverThatCannotStart_failsNamingTheReasonAndTheLog() throws IOException {
    // Looks installed (mysql/ exists) but has no system tables: mariadbd aborts.
    Files.createDirectories(dataDir.resolve("data/mysql"));
    assertThatThrownBy(() -> EmbeddedMariaDb.start(dataDir, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("MariaDB failed to start: mariadbd: ")
        .hasMessageContaining("privilege tables")
        .hasMessageEndingWith("; see " + dataDir.resolve("mariadb.log"));
    assertThat(dataDir.resolve("mariadb.log")).content().contains("[ERROR]");
  }

  private static Connection connect(EmbeddedMariaDb db, String database) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(database), db.user(), db.password());
  }
}
