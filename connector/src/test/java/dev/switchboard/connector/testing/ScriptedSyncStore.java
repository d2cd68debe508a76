package dev.switchboard.connector.testing;

import dev.switchboard.connector.route.DeliveryCursor;
import dev.switchboard.connector.route.SyncSource;
import dev.switchboard.proto.internal.SyncResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An offline-store stand-in whose pages the test gives: a page per cursor (the empty cursor starts
 * a pass; without a page given it is an empty one, an unknown cursor is INVALID_ARGUMENT as in the
 * real store), every call recorded in order, a switch that makes every call fail like an
 * unreachable server, and a gate that holds Sync answers.
 */
public final class ScriptedSyncStore implements SyncSource, DeliveryCursor {
  public record SyncCall(
      long userId, String deviceId, String cursor, int limit, Duration maxWait) {}

  private final Map<String, SyncResponse> pages = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final List<SyncCall> syncCalls = new ArrayList<>();
  private boolean unreachable;
  private Status failure;
  private CompletableFuture<Void> syncGate = CompletableFuture.completedFuture(null);
  private CompletableFuture<Void> advanceGate = CompletableFuture.completedFuture(null);
  private Runnable onSync = () -> {};
  private int advanceCalls;

  /** The page Sync answers for this cursor. */
  public synchronized ScriptedSyncStore page(String cursor, SyncResponse page) {
    pages.put(cursor, page);
    return this;
  }

  public synchronized void setUnreachable(boolean unreachable) {
    this.unreachable = unreachable;
  }

  /** Every call fails with this status (null: answer normally). */
  public synchronized void failWith(Status status) {
    this.failure = status;
  }

  /** Sync answers only once the returned future is completed. */
  public synchronized CompletableFuture<Void> holdSyncCalls() {
    syncGate = new CompletableFuture<>();
    return syncGate;
  }

  /** AdvanceCursors calls answer only once the returned future is completed. */
  public synchronized CompletableFuture<Void> holdAdvances() {
    advanceGate = new CompletableFuture<>();
    return advanceGate;
  }

  /** Runs at the moment each Sync call arrives, e.g. to look at what else is visible then. */
  public synchronized void onSync(Runnable action) {
    this.onSync = action;
  }

  @Override
  public synchronized CompletableFuture<SyncResponse> sync(
      long userId, String deviceId, String cursor, int limit, Duration wait) {
    calls.add("sync " + userId + "/" + deviceId + " cursor=" + cursor + " limit=" + limit);
    syncCalls.add(new SyncCall(userId, deviceId, cursor, limit, wait));
    onSync.run();
    CompletableFuture<Void> failed = failure();
    if (failed != null) {
      return failed.thenApply(ignored -> null);
    }
    SyncResponse page = pages.get(cursor);
    if (page == null && cursor.isEmpty()) {
      page = SyncResponse.getDefaultInstance();
    }
    if (page == null) {
      return CompletableFuture.failedFuture(
          Status.INVALID_ARGUMENT.withDescription("malformed cursor").asRuntimeException());
    }
    SyncResponse answer = page;
    return syncGate.thenApply(ignored -> answer);
  }

  @Override
  public synchronized CompletableFuture<Boolean> ackReceipts(
      long userId, String deviceId, long lastReceiptId) {
    calls.add("ackReceipts " + userId + "/" + deviceId + " through=" + lastReceiptId);
    CompletableFuture<Void> failed = failure();
    return failed != null
        ? failed.thenApply(ignored -> false)
        : CompletableFuture.completedFuture(true);
  }

  /** Records each advance as its own call ("advance 8/tablet s_7_8 to=3"), in order. */
  @Override
  public synchronized CompletableFuture<Void> advanceAll(List<Advance> advances) {
    advanceCalls++;
    for (Advance a : advances) {
      calls.add(
          "advance "
              + a.userId()
              + "/"
              + a.deviceId()
              + " "
              + a.conversationId()
              + " to="
              + a.deliveredSeq());
    }
    CompletableFuture<Void> failed = failure();
    return failed != null ? failed : advanceGate.thenApply(ignored -> null);
  }

  /** AdvanceCursors calls so far (each carries one or more advances). */
  public synchronized int advanceCalls() {
    return advanceCalls;
  }

  /** Every call, in order, e.g. {@code "sync 7/phone cursor= limit=0"}. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<SyncCall> syncCalls() {
    return List.copyOf(syncCalls);
  }

  private CompletableFuture<Void> failure() {
    if (unreachable) {
      return CompletableFuture.failedFuture(
          Status.UNAVAILABLE.withDescription("offline-store is down").asRuntimeException());
    }
    if (failure != null) {
      return CompletableFuture.failedFuture(failure.asRuntimeException());
    }
    return null;
  }
}
