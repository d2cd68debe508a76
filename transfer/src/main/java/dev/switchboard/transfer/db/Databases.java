package dev.switchboard.transfer.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.common.jdbc.ConnectorJ;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The MySQL pool and this service's own schema migrations. */
public final class Databases {
  /** Transfer's migrations; the database is shared, so its history table is its own too. */
  public static final String MIGRATIONS = "classpath:db/migration/transfer";

  public static final String HISTORY_TABLE = "flyway_history_transfer";

  /** See {@link #pool}. */
  static final int LOCK_WAIT_SECONDS = 3;

  private Databases() {}

  public static HikariDataSource pool(
      String jdbcUrl, String user, String password, int maxPoolSize, String poolName) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName);
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setDriverClassName("com.mysql.cj.jdbc.Driver");
    config.setMaximumPoolSize(maxPoolSize);
    config.setMinimumIdle(Math.min(2, maxPoolSize));
    // A request waits at most this long for a connection before the client is told UNAVAILABLE.
    config.setConnectionTimeout(3_000);
    config.setValidationTimeout(1_000);
    // READ COMMITTED: the idempotency lookup sees rows committed by other instances right away,
    // and InnoDB takes no gap locks, which keeps the sequencing transaction free of deadlocks.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // A sequencing transaction waits for a conversation's seq row lock only while another holds it
    // for milliseconds; InnoDB's default of 50 s would hold a handler thread far past every
    // caller's deadline if something went wrong. The lock wait timeout is retried like a deadlock.
    config.setConnectionInitSql("SET SESSION innodb_lock_wait_timeout = " + LOCK_WAIT_SECONDS);
    ConnectorJ.POOL_PROPERTIES.forEach(config::addDataSourceProperty);
    config.addDataSourceProperty("socketTimeout", "10000");
    return new HikariDataSource(config);
  }

  /**
   * Applies transfer's migrations. The database is shared with account-api, so it may already hold
   * other tables: {@code baselineOnMigrate} accepts that, and baseline version 0 makes sure V1 of
   * this service still runs (with the default baseline 1 it would be skipped as "below baseline").
   */
  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .table(HISTORY_TABLE)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }
}
