package dev.switchboard.transfer.log;

/**
 * The broker did not acknowledge a record in time (or refused it). Expected during a Kafka outage:
 * the client is told UNAVAILABLE and retries with the same client_msg_id.
 */
public final class MessageLogUnavailableException extends Exception {
  public MessageLogUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
