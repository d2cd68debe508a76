package dev.switchboard.transfer.route;

/** user-status could not be asked (none registered, or both attempts failed). */
public final class RouteLookupException extends Exception {
  public RouteLookupException(String message, Throwable cause) {
    super(message, cause);
  }
}
