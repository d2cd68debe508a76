package dev.switchboard.userstatus.store;

/**
 * Redis could not answer. Never swallowed into an empty result: "Redis is down" must not look like
 * "the user is offline" to a caller.
 */
public final class StoreException extends RuntimeException {

  private final boolean unavailable;

  StoreException(String message, Throwable cause, boolean unavailable) {
    super(message, cause);
    this.unavailable = unavailable;
  }

  /**
   * True when retrying later may succeed (connection refused or lost, timeout, Redis loading or
   * busy); false for a failure that a retry will not fix (an unexpected reply or script error).
   */
  public boolean unavailable() {
    return unavailable;
  }
}
