package dev.switchboard.client;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.Notice;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every callback, with the thread it ran on, for assertions with Awaitility. */
final class RecordingListener implements ClientListener {
  final List<ChatMsg> messages = new CopyOnWriteArrayList<>();
  final List<AckMsg> receipts = new CopyOnWriteArrayList<>();
  final List<Error> errors = new CopyOnWriteArrayList<>();
  final List<Kick> kicks = new CopyOnWriteArrayList<>();
  final List<Notice> notices = new CopyOnWriteArrayList<>();
  final List<String> disconnects = new CopyOnWriteArrayList<>();
  final List<LoginResp> reconnects = new CopyOnWriteArrayList<>();
  final List<Throwable> reconnectFailures = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();

  @Override
  public void onMessage(ChatMsg message) {
    threads.add(Thread.currentThread().getName());
    messages.add(message);
    events.add("message " + message.getSeq());
  }

  @Override
  public void onReceipt(AckMsg receipt) {
    receipts.add(receipt);
    events.add("receipt " + receipt.getMsgType());
  }

  @Override
  public void onNotice(Notice notice) {
    threads.add(Thread.currentThread().getName());
    notices.add(notice);
    events.add("notice " + notice.getType());
  }

  @Override
  public void onError(Error error) {
    errors.add(error);
    events.add("error " + error.getCode());
  }

  @Override
  public void onKicked(Kick kick) {
    kicks.add(kick);
    events.add("kicked " + kick.getReason());
  }

  @Override
  public void onDisconnected(Throwable cause) {
    disconnects.add(String.valueOf(cause == null ? null : cause.getMessage()));
    events.add("disconnected");
  }

  @Override
  public void onReconnected(LoginResp resp) {
    reconnects.add(resp);
    events.add("reconnected");
  }

  @Override
  public void onReconnectFailed(Throwable cause) {
    reconnectFailures.add(cause);
    events.add("reconnect failed");
  }
}
