package dev.switchboard.offlinestore.store;

/**
 * The database cannot be reached right now (no pooled connection in time, connection broken). An
 * expected outage: RPCs answer UNAVAILABLE (the caller retries), the consumer retries its batch.
 */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
