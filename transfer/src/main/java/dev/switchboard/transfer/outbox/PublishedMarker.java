package dev.switchboard.transfer.outbox;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.transfer.ops.TransferMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the outbox rows whose messages the broker all acknowledged, in batches, off the request
 * path: SENT is answered as soon as the broker acknowledged, never after a second database write.
 *
 * <p>{@link #published} only enqueues (it runs on Kafka's I/O thread, when the last message of a
 * row is acknowledged, even after its caller stopped waiting). One thread deletes up to {@value
 * #BATCH} rows per statement. Losing a removal is harmless: a full queue, a failed delete or a
 * crash before it leaves the row in the outbox, and a republisher re-produces its messages later
 * (duplicates that consumers drop by message id). So nothing here retries for long.
 */
public final class PublishedMarker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PublishedMarker.class);
  private static final int BATCH = 500;
  private static final int ATTEMPTS = 3;

  private final OutboxTable table;
  private final TransferMetrics metrics;
  private final BlockingQueue<Long> queue;
  private final Thread worker;
  private final RateLimitedLog failures = new RateLimitedLog(log, 10_000);
  private volatile boolean closing;
  private volatile boolean halted;

  /**
   * @param capacity rows waiting to be removed; beyond it removals are dropped (see class comment)
   */
  public PublishedMarker(OutboxTable table, TransferMetrics metrics, int capacity) {
    this.table = table;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = new Thread(this::run, "transfer-outbox-marker");
    worker.setDaemon(true);
  }

  public void start() {
    worker.start();
  }

  /** The broker acknowledged every message of this outbox row. Never blocks. */
  public void published(long outboxRowId) {
    if (!queue.offer(outboxRowId)) {
      metrics.outboxMarkDropped();
    }
  }

  /** Rows waiting to be removed. */
  public int pending() {
    return queue.size();
  }

  private void run() {
    List<Long> batch = new ArrayList<>(BATCH);
    while (!halted && (!closing || !queue.isEmpty())) {
      try {
        Long first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        mark(batch);
      } catch (InterruptedException e) {
        // close() gave up waiting: what is left stays in the outbox for a republisher.
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void mark(List<Long> ids) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        table.remove(ids);
        return;
      } catch (RuntimeException e) {
        if (attempt == ATTEMPTS) {
          metrics.outboxMarkDropped(ids.size());
          failures.warn(
              "could not remove {} outbox rows (a republisher re-produces their messages): {}",
              ids.size(),
              e.toString());
        }
      }
    }
  }

  /** Removes what is queued, for at most {@code timeout}. */
  public void close(Duration timeout) throws InterruptedException {
    closing = true;
    if (!worker.isAlive()) {
      return;
    }
    worker.join(timeout.toMillis());
    if (worker.isAlive()) {
      log.warn("{} outbox rows not removed within {}", queue.size(), timeout);
      worker.interrupt();
    }
  }

  /**
   * Stops at once and writes nothing more, as a killed process would: what is queued stays in the
   * outbox for a republisher.
   */
  public void halt() {
    halted = true;
    worker.interrupt();
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(2));
  }
}
