package dev.switchboard.common.auth;

/** A token was refused; {@link #reason()} says why, for the error code sent back. */
public final class InvalidTokenException extends Exception {
  public enum Reason {
    MALFORMED,
    BAD_SIGNATURE,
    UNSUPPORTED_ALGORITHM,
    EXPIRED,
    MISSING_CLAIMS
  }

  private final Reason reason;

  public InvalidTokenException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
