package dev.switchboard.offlinestore.store;

/** An unexpected database error (bad SQL, schema drift): answered as INTERNAL. */
public final class StoreFailureException extends RuntimeException {
  public StoreFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
