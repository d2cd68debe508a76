package dev.switchboard.transfer.message;

import dev.switchboard.proto.ErrorCode;

/** An expected refusal, answered as an Error value (never as a gRPC status). */
public record Refusal(ErrorCode code, String message) {
  /**
   * A message whose durability is not confirmed: it may not be stored at all (database down) or be
   * sequenced but not acknowledged by Kafka yet (then the outbox publishes it anyway). Either way
   * the retry with the same client_msg_id gets the one SENT, never a second message.
   */
  public static final String NOT_CONFIRMED =
      "not confirmed durable yet; retry with the same client_msg_id";

  /** The receipt counterpart of {@link #NOT_CONFIRMED}; receipts have no outbox. */
  public static final String RECEIPT_NOT_CONFIRMED = "receipt not confirmed durable yet; retry";

  public static Refusal invalid(String message) {
    return new Refusal(ErrorCode.INVALID_MESSAGE, message);
  }

  public static Refusal unsupported(String message) {
    return new Refusal(ErrorCode.UNSUPPORTED, message);
  }

  public static Refusal unknownDestination(long userId) {
    return new Refusal(ErrorCode.UNKNOWN_DESTINATION, "no user " + userId);
  }

  public static Refusal unavailable(String message) {
    return new Refusal(ErrorCode.UNAVAILABLE, message);
  }

  /** Says neither which side blocked nor since when, the same wording both ways. */
  public static Refusal blocked(long destId) {
    return new Refusal(
        ErrorCode.BLOCKED,
        "you and user " + destId + " cannot message each other (blocked); nothing was stored");
  }

  public static Refusal notFriends(long destId) {
    return new Refusal(
        ErrorCode.NOT_FRIENDS,
        "you and user " + destId + " are not friends; send a friend request first");
  }
}
