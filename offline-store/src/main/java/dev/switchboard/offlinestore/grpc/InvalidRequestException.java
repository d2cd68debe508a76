package dev.switchboard.offlinestore.grpc;

/** A request that breaks the contract; answered with INVALID_ARGUMENT and the message. */
public final class InvalidRequestException extends RuntimeException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
