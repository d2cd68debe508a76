package dev.switchboard.client;

import dev.switchboard.proto.ErrorCode;

/**
 * The server refused a request with an {@code Error} frame (or a failed {@code LoginResp}). The
 * code is the contract; the message is for humans.
 */
public final class ServerErrorException extends RuntimeException {

  private final ErrorCode code;
  private final String serverMessage;

  public ServerErrorException(ErrorCode code, String serverMessage) {
    super(code + (serverMessage == null || serverMessage.isEmpty() ? "" : ": " + serverMessage));
    this.code = code;
    this.serverMessage = serverMessage == null ? "" : serverMessage;
  }

  public ErrorCode code() {
    return code;
  }

  /** The server's human-readable explanation (may be empty). */
  public String serverMessage() {
    return serverMessage;
  }
}
