package dev.switchboard.transfer.db;

/**
 * The database cannot be reached right now (no pooled connection in time, connection broken). An
 * expected outage: the client is told UNAVAILABLE and retries with the same client_msg_id.
 */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
