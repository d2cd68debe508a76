package dev.switchboard.client;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.Notice;

/**
 * What a {@link SwitchboardClient} tells the application. Every method has a no-op default.
 *
 * <p>Threading: all calls of one client (and the completions of its futures) run one at a time, in
 * order, on that client's callback executor ({@link ClientConfig#callbackExecutor()}), never on a
 * Netty event loop. A callback may therefore block (e.g. call the REST API) without stalling the
 * network, but while it runs the client's later callbacks wait.
 */
public interface ClientListener {

  ClientListener NONE = new ClientListener() {};

  /**
   * A message to show: each id once, per conversation in seq order (a message after a gap waits for
   * the gap to fill, a sync pulls it; only after {@link ClientConfig#reorderHoldBack()} is it shown
   * anyway). The SDK acknowledges it (DELIVERED) together with the other messages of the same read
   * or sync page.
   */
  default void onMessage(ChatMsg message) {}

  /**
   * A DELIVERED or READ receipt from a peer, one call per message and fact: a DELIVERED that
   * acknowledges several messages ({@code also_acked}) comes as one receipt for each, without
   * {@code also_acked}. SENT is reported by the send future only.
   */
  default void onReceipt(AckMsg receipt) {}

  /**
   * A server-side event for this user, not part of any conversation: a friend request arrived, a
   * request was accepted, a friend came online or went offline. Notices are not stored; a client
   * that was offline reads the current state over REST (friend requests, friends with presence).
   */
  default void onNotice(Notice notice) {}

  /** An {@code Error} frame not tied to a pending send or the login. */
  default void onError(Error error) {}

  /** The server ended the session; {@link #onDisconnected} follows. */
  default void onKicked(Kick kick) {}

  /**
   * An established connection ended; called once per connection that had logged in. {@code cause}
   * is null when the application closed the client, otherwise why the connection ended (kicked,
   * closed by the server, no heartbeat, I/O error). Sends still waiting for SENT have failed with
   * {@link ConnectionClosedException} (resend them with the same client_msg_id).
   *
   * <p>Unless the application closed the client, reconnection is off ({@link
   * ReconnectPolicy#enabled()}), or a {@link dev.switchboard.proto.Kick} ended the session for good
   * (LOGGED_IN_ELSEWHERE, LOGGED_OUT, TOKEN_REVOKED), the client now reconnects by itself ({@link
   * SwitchboardClient#isReconnecting()} is true): {@link #onReconnected} or {@link
   * #onReconnectFailed} follows. A Kick with SERVER_SHUTDOWN reconnects too.
   */
  default void onDisconnected(Throwable cause) {}

  /**
   * An automatic reconnect logged in again (possibly on another connector, with a new session from
   * REST): sends work again, and the connector's sync brings what arrived in between (each message
   * still reaches {@link #onMessage} once).
   */
  default void onReconnected(LoginResp resp) {}

  /**
   * Automatic reconnection gave up: the credentials or token were refused, or {@link
   * ReconnectPolicy#maxAttempts()} ran out. The client stays disconnected; {@link
   * SwitchboardClient#connect} may be called again.
   */
  default void onReconnectFailed(Throwable cause) {}
}
