package dev.switchboard.common.jdbc;

import java.util.Map;

/** MySQL Connector/J data source properties every service's pool uses. */
public final class ConnectorJ {
  private ConnectorJ() {}

  /**
   * Connector/J's defaults cost a round trip or a parse where none is needed: it asks the server
   * for autocommit and isolation on every pool hand-back (useLocalSessionState answers from what it
   * set itself), and caches parsed statements only up to 256 characters, so long statements were
   * parsed again on every execution. JDBC batches become multi-row INSERTs: one round trip per
   * table and batch.
   */
  public static final Map<String, String> POOL_PROPERTIES =
      Map.ofEntries(
          Map.entry("cachePrepStmts", "true"),
          Map.entry("prepStmtCacheSize", "250"),
          Map.entry("prepStmtCacheSqlLimit", "4096"),
          Map.entry("useServerPrepStmts", "false"),
          Map.entry("useLocalSessionState", "true"),
          Map.entry("elideSetAutoCommits", "true"),
          Map.entry("cacheServerConfiguration", "true"),
          Map.entry("cacheResultSetMetadata", "true"),
          Map.entry("maintainTimeStats", "false"),
          Map.entry("rewriteBatchedStatements", "true"),
          Map.entry("connectTimeout", "3000"));
}
