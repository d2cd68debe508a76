package dev.switchboard.connector.route;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.connector.ConnectorMetrics;
import dev.switchboard.connector.route.DeliveryCursor.Advance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the delivery cursors of every session of this connector: keeps the highest DELIVERED
 * watermark per device and conversation, and writes what has changed to offline-store in one
 * AdvanceCursors call per {@code interval} at most, one call in flight.
 *
 * <p>Why: a device that receives fast sends a DELIVERED per message, and writing each one cost a
 * gRPC call and a share of a MySQL transaction per message; a max-throughput p2p run spent a tenth
 * of the server's CPU there. Coalesced, the writes follow the number of conversations moving, not
 * the message rate. Only the cursor's lag grows, by at most the interval: it says where the next
 * sync starts, so a device that reconnects sooner is sent a few messages it holds again and drops
 * them (the SDK dedupes by id). Nothing is lost by writing late, or not at all.
 *
 * <p>A call that fails because offline-store was unreachable puts its watermarks back for the next
 * round (the cursor only moves forward, so repeating is harmless); any other failure drops them
 * (the next DELIVERED carries a watermark again). Thread-safe.
 */
public final class CursorWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CursorWriter.class);

  /** Advances per call at most; offline-store takes up to 1,000. */
  static final int MAX_BATCH = 500;

  private record Key(long userId, String deviceId, String conversationId) {}

  private final DeliveryCursor store;
  private final ScheduledExecutorService scheduler;
  private final long intervalNanos;
  private final ConnectorMetrics metrics;
  private final Map<Key, Long> pending = new ConcurrentHashMap<>();

  /** True while a write is scheduled or in flight: whoever sets it schedules the next one. */
  private final AtomicBoolean busy = new AtomicBoolean();

  private final RateLimitedLog failures = new RateLimitedLog(log, 10_000);
  private volatile CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);
  private volatile boolean closed;

  /**
   * @param interval how long watermarks gather before they are written (the longest a cursor lags
   *     behind what the device holds, offline-store permitting)
   */
  public CursorWriter(
      DeliveryCursor store,
      ScheduledExecutorService scheduler,
      Duration interval,
      ConnectorMetrics metrics) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval must not be negative");
    }
    this.store = store;
    this.scheduler = scheduler;
    this.intervalNanos = interval.toNanos();
    this.metrics = metrics;
  }

  /** The device holds every message of the conversation up to {@code throughSeq}. */
  public void delivered(long userId, String deviceId, String conversationId, long throughSeq) {
    if (closed) {
      return;
    }
    pending.merge(new Key(userId, deviceId, conversationId), throughSeq, Math::max);
    scheduleIfIdle(intervalNanos);
  }

  /** Watermarks not written yet. */
  public int pendingCount() {
    return pending.size();
  }

  private void scheduleIfIdle(long delayNanos) {
    if (!busy.compareAndSet(false, true)) {
      return; // the scheduled or running write looks at pending again when it ends
    }
    try {
      scheduler.schedule(this::write, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      busy.set(false); // shutting down; close() writes what is left
    }
  }

  private void write() {
    List<Advance> batch = take();
    if (batch.isEmpty()) {
      idle(false);
      return;
    }
    lastWrite = send(batch).thenRun(() -> idle(batch.size() == MAX_BATCH));
  }

  /** One AdvanceCursors call; completes (never fails) once its outcome is counted. */
  private CompletableFuture<Void> send(List<Advance> batch) {
    CompletableFuture<Void> call;
    try {
      call = store.advanceAll(batch);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.handle(
        (ignored, failure) -> {
          written(batch, failure);
          return null;
        });
  }

  /** Removes up to {@link #MAX_BATCH} watermarks; one raised meanwhile stays for the next round. */
  private List<Advance> take() {
    List<Advance> batch = new ArrayList<>(Math.min(MAX_BATCH, pending.size()));
    for (Map.Entry<Key, Long> entry : pending.entrySet()) {
      if (batch.size() == MAX_BATCH) {
        break;
      }
      Key key = entry.getKey();
      long seq = entry.getValue();
      if (pending.remove(key, seq)) {
        batch.add(new Advance(key.userId(), key.deviceId(), key.conversationId(), seq));
      }
    }
    return batch;
  }

  private void written(List<Advance> batch, Throwable failure) {
    metrics.cursorAdvances(failure == null, batch.size());
    if (failure == null) {
      return;
    }
    boolean retry = RetryingCall.isTransportFailure(failure) && !closed;
    if (retry) {
      for (Advance a : batch) {
        pending.merge(
            new Key(a.userId(), a.deviceId(), a.conversationId()), a.deliveredSeq(), Math::max);
      }
    }
    failures.warn(
        "{} delivery cursors not advanced{}: {}",
        batch.size(),
        retry ? " (retried next round)" : "",
        RetryingCall.unwrap(failure).toString());
  }

  /** A full batch leaves more behind: the next one goes at once rather than after the interval. */
  private void idle(boolean more) {
    busy.set(false);
    if (!pending.isEmpty() && !closed) {
      scheduleIfIdle(more ? 0 : intervalNanos);
    }
  }

  /**
   * Writes what is pending once, waiting up to {@code timeout} for it (the connector's sessions are
   * closed by then); later watermarks are ignored.
   */
  public void close(Duration timeout) {
    closed = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      lastWrite.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      while (!pending.isEmpty() && System.nanoTime() < deadline) {
        send(take()).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException | ExecutionException | RuntimeException e) {
      log.warn("{} delivery cursors not written at shutdown: {}", pending.size(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** As in a crash (fault tests): what is pending is forgotten and nothing more is written. */
  public void discard() {
    closed = true;
    pending.clear();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }
}
