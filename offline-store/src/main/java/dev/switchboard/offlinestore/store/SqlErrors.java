package dev.switchboard.offlinestore.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** Sorts MySQL/MariaDB errors into what the caller does about them. */
public final class SqlErrors {
  private static final int ER_NO_SUCH_TABLE = 1146;
  private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
  private static final int ER_LOCK_DEADLOCK = 1213;

  private SqlErrors() {}

  /** The server rolled the transaction back to break a deadlock or lock wait: retry it. */
  public static boolean isRetryableConflict(SQLException e) {
    return e.getErrorCode() == ER_LOCK_DEADLOCK
        || e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT
        || "40001".equals(e.getSQLState());
  }

  public static boolean isMissingTable(SQLException e) {
    return e.getErrorCode() == ER_NO_SUCH_TABLE || "42S02".equals(e.getSQLState());
  }

  /** No connection in time, or the connection broke: the database is (briefly) unreachable. */
  public static boolean isUnavailable(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException
        || e instanceof SQLRecoverableException
        || (state != null && state.startsWith("08"));
  }

  /**
   * The exception the store's callers expect for an error that is not handled where it occurs: an
   * outage or a lock conflict is worth retrying ({@link StoreUnavailableException}), anything else
   * is a fault ({@link StoreFailureException}).
   */
  public static RuntimeException translate(String what, SQLException e) {
    if (isUnavailable(e)) {
      return new StoreUnavailableException(what + ": database unavailable: " + e.getMessage(), e);
    }
    if (isRetryableConflict(e)) {
      return new StoreUnavailableException(what + ": lock conflict: " + e.getMessage(), e);
    }
    return new StoreFailureException(what + ": " + e.getMessage(), e);
  }
}
