package dev.switchboard.offlinestore.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.common.jdbc.ConnectorJ;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The MySQL pool and this service's own schema migrations. */
public final class Databases {
  /** offline-store's migrations; the database is shared, so its history table is its own too. */
  public static final String MIGRATIONS = "classpath:db/migration/offline";

  public static final String HISTORY_TABLE = "flyway_history_offline";

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
    // A request waits at most this long for a connection before it is answered UNAVAILABLE (and
    // a consumer batch before it is retried).
    config.setConnectionTimeout(3_000);
    config.setValidationTimeout(1_000);
    // READ COMMITTED: reads see what other instances committed right away, and InnoDB takes no
    // gap locks on the range reads, so sync never blocks the consumer's inserts.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    ConnectorJ.POOL_PROPERTIES.forEach(config::addDataSourceProperty);
    // Bounds a query on a connection that broke silently; the longest statement is one batch.
    config.addDataSourceProperty("socketTimeout", "30000");
    return new HikariDataSource(config);
  }

  /**
   * Applies offline-store's migrations. The database is shared with other services, so it may
   * already hold their tables: {@code baselineOnMigrate} accepts that, and baseline version 0 makes
   * sure V1 of this service still runs (with the default baseline 1 it would be skipped as "below
   * baseline").
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
