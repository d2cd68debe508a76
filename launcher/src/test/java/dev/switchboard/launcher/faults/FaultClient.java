package dev.switchboard.launcher.faults;

import dev.switchboard.client.ClientListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.client.rest.RegisteredUser;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.LoginResp;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One user with one SDK client (one device) in a fault run. Every peer message the SDK surfaces
 * goes to the {@link DeliveryChecker}; the client's own messages (which a sync after a reconnect
 * may hand back) are not shown as received and are not counted.
 */
final class FaultClient implements ClientListener {
  final RegisteredUser account;
  final String password;
  final String deviceId;
  private final DeliveryChecker checker;
  private SwitchboardClient client; // set once before connecting
  LoginSession firstSession;

  /** Peer messages surfaced. */
  final AtomicInteger received = new AtomicInteger();

  /** Peer messages that were SENT to this user. */
  final AtomicInteger expected = new AtomicInteger();

  final AtomicInteger disconnects = new AtomicInteger();
  final AtomicInteger reconnects = new AtomicInteger();

  FaultClient(RegisteredUser account, String password, String deviceId, DeliveryChecker checker) {
    this.account = account;
    this.password = password;
    this.deviceId = deviceId;
    this.checker = checker;
  }

  void attach(SwitchboardClient client) {
    this.client = client;
  }

  SwitchboardClient client() {
    return client;
  }

  long id() {
    return account.userId();
  }

  @Override
  public void onMessage(ChatMsg message) {
    if (message.getFromId() == id()) {
      return;
    }
    checker.surfaced(deviceId, message.getId(), message.getConversationId(), message.getSeq());
    received.incrementAndGet();
  }

  @Override
  public void onDisconnected(Throwable cause) {
    disconnects.incrementAndGet();
  }

  @Override
  public void onReconnected(LoginResp resp) {
    reconnects.incrementAndGet();
  }

  /** Everything SENT to this user has surfaced (or more: the checker then reports duplicates). */
  boolean hasAllMail() {
    return received.get() >= expected.get();
  }
}
