package dev.switchboard.client;

import java.io.IOException;

/**
 * The connection is not there (not connected yet, closed by {@link SwitchboardClient#close()}, by
 * the server, or lost). Pending sends fail with it; resending with the same {@code client_msg_id}
 * after a new connection is safe, the server never creates a second message.
 */
public final class ConnectionClosedException extends IOException {

  public ConnectionClosedException(String message) {
    super(message);
  }

  public ConnectionClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
