package dev.switchboard.transfer.ids;

/**
 * No id can be issued right now: the clock went backwards beyond the tolerance, or this instance
 * lost its worker id lease. Unexpected; the caller answers INTERNAL and the client retries (with
 * the same client_msg_id), possibly on another transfer instance.
 */
public final class IdUnavailableException extends RuntimeException {
  public IdUnavailableException(String message) {
    super(message);
  }
}
