package dev.switchboard.offlinestore.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.common.jdbc.BlobParameter;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.store.Databases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blobs bound as streams come back byte for byte, through the pool the services use (text protocol,
 * batches rewritten into multi-row INSERTs), whatever bytes they hold.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlobParameterIT {
  private HikariDataSource pool;

  @BeforeAll
  void start(EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "offline_blobs");
    pool = Databases.pool(db.url, db.user, db.password, 2, "blob-test");
    try (Connection c = pool.getConnection()) {
      c.createStatement()
          .execute("CREATE TABLE blob_test (id INT PRIMARY KEY, data MEDIUMBLOB NOT NULL)");
    }
  }

  @AfterAll
  void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void everyByteValue_survivesABatchAndASingleInsert() throws Exception {
    byte[] all = new byte[512];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    // Quotes, backslashes, NUL and a lone high byte: what an escaping mistake would damage.
    List<byte[]> blobs = List.of(all, new byte[0], new byte[] {'\'', '\\', 0, (byte) 0xff}, big());
    try (Connection c = pool.getConnection();
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO blob_test (id, data) VALUES (?, ?)")) {
      for (int i = 0; i < blobs.size(); i++) {
        insert.setInt(1, i);
        BlobParameter.set(insert, 2, blobs.get(i));
        insert.addBatch();
      }
      insert.executeBatch();
      insert.setInt(1, 100);
      BlobParameter.set(insert, 2, all);
      insert.executeUpdate();
    }

    List<byte[]> stored = new ArrayList<>();
    try (Connection c = pool.getConnection();
        ResultSet rows =
            c.createStatement().executeQuery("SELECT data FROM blob_test ORDER BY id")) {
      while (rows.next()) {
        stored.add(rows.getBytes(1));
      }
    }
    assertThat(stored).hasSize(blobs.size() + 1);
    for (int i = 0; i < blobs.size(); i++) {
      assertThat(stored.get(i)).as("blob %d", i).isEqualTo(blobs.get(i));
    }
    assertThat(stored.get(blobs.size())).isEqualTo(all);
  }

  /** Larger than the driver's 4 KiB stream buffer, so it is encoded in several blocks. */
  private static byte[] big() {
    byte[] bytes = new byte[10_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    return bytes;
  }
}
