package dev.switchboard.client;

import dev.switchboard.proto.AckMsg;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Sends waiting for their SENT receipt, found by client_msg_id (or, for an Error without one, by
 * the frame's request id), each failing on its own after the request timeout. Resending a
 * client_msg_id that is still pending joins the pending entry: every caller gets the one answer.
 *
 * <p>Confined to the client's event loop. Futures are completed through the given functions, which
 * hand the completion to the client's callback executor.
 */
final class PendingSends {

  private final EventLoop loop;
  private final Duration timeout;
  private final BiConsumer<CompletableFuture<AckMsg>, AckMsg> complete;
  private final BiConsumer<CompletableFuture<AckMsg>, Throwable> fail;
  private final Map<String, Entry> byClientMsgId = new HashMap<>();
  private final Map<Long, Entry> byRequestId = new HashMap<>();

  PendingSends(
      EventLoop loop,
      Duration timeout,
      BiConsumer<CompletableFuture<AckMsg>, AckMsg> complete,
      BiConsumer<CompletableFuture<AckMsg>, Throwable> fail) {
    this.loop = loop;
    this.timeout = timeout;
    this.complete = complete;
    this.fail = fail;
  }

  private static final class Entry {
    final String clientMsgId;
    final List<Long> requestIds = new ArrayList<>(1);
    final List<CompletableFuture<AckMsg>> results = new ArrayList<>(1);
    ScheduledFuture<?> timer;

    Entry(String clientMsgId) {
      this.clientMsgId = clientMsgId;
    }
  }

  /**
   * Registers {@code result} as waiting for the SENT of {@code clientMsgId} (frame {@code
   * requestId}).
   */
  void add(String clientMsgId, long requestId, CompletableFuture<AckMsg> result) {
    Entry e = byClientMsgId.get(clientMsgId);
    if (e == null) {
      Entry created = new Entry(clientMsgId);
      created.timer =
          loop.schedule(
              () ->
                  failEntry(
                      created,
                      new TimeoutException(
                          "no SENT for client_msg_id "
                              + clientMsgId
                              + " within "
                              + timeout.toMillis()
                              + "ms")),
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
      byClientMsgId.put(clientMsgId, created);
      e = created;
    }
    e.results.add(result);
    e.requestIds.add(requestId);
    byRequestId.put(requestId, e);
  }

  /** Completes the send the SENT receipt answers; false if none is pending (e.g. timed out). */
  boolean complete(AckMsg sent, long requestId) {
    Entry e = find(sent.getClientMsgId(), requestId);
    if (e == null) {
      return false;
    }
    forget(e);
    for (CompletableFuture<AckMsg> r : e.results) {
      complete.accept(r, sent);
    }
    return true;
  }

  /** Fails the send with that client_msg_id or request id; false if none is pending. */
  boolean fail(String clientMsgId, long requestId, Throwable cause) {
    Entry e = find(clientMsgId, requestId);
    if (e == null) {
      return false;
    }
    failEntry(e, cause);
    return true;
  }

  /** Fails every pending send (the connection ended). */
  void failAll(Throwable cause) {
    for (Entry e : new ArrayList<>(byClientMsgId.values())) {
      failEntry(e, cause);
    }
  }

  int size() {
    return byClientMsgId.size();
  }

  private Entry find(String clientMsgId, long requestId) {
    Entry e = clientMsgId.isEmpty() ? null : byClientMsgId.get(clientMsgId);
    if (e == null && requestId != 0) {
      e = byRequestId.get(requestId);
    }
    return e;
  }

  private void failEntry(Entry e, Throwable cause) {
    if (byClientMsgId.get(e.clientMsgId) != e) {
      return; // already answered
    }
    forget(e);
    for (CompletableFuture<AckMsg> r : e.results) {
      fail.accept(r, cause);
    }
  }

  private void forget(Entry e) {
    byClientMsgId.remove(e.clientMsgId, e);
    for (Long id : e.requestIds) {
      byRequestId.remove(id);
    }
    if (e.timer != null) {
      e.timer.cancel(false);
    }
  }
}
