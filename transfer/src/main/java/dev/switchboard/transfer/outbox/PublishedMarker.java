package dev.switchboard.transfer.outbox;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.transfer.ops.TransferMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks acknowledged messages published, in batches, off the request path: SENT is answered as soon
 * as the broker acknowledged, never after a second database write.
 *
 * <p>{@link #published} only enqueues (it runs on Kafka's I/O thread when a late acknowledgement
 * arrives after the caller stopped waiting). One thread writes batches of up to {@value #BATCH} ids
 * in one transaction. Losing a mark is harmless: a full queue, a failed batch or a crash before the
 * write leaves the row in the outbox, and a republisher re-produces it later (a duplicate that
 * consumers drop by message id). So nothing here retries for long.
 */
public final class PublishedMarker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PublishedMarker.class);
  private static final int BATCH = 500;
  private static final int ATTEMPTS = 3;

  private final OutboxTable table;
  private final Clock clock;
  private final TransferMetrics metrics;
  private final BlockingQueue<Long> queue;
  private final Thread worker;
  private final RateLimitedLog failures = new RateLimitedLog(log, 10_000);
  private volatile boolean closing;
  private volatile boolean halted;

  /**
   * @param capacity ids waiting to be marked; beyond it marks are dropped (see class comment)
   */
  public PublishedMarker(OutboxTable table, Clock clock, TransferMetrics metrics, int capacity) {
    this.table = table;
    this.clock = clock;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = new Thread(this::run, "transfer-outbox-marker");
    worker.setDaemon(true);
  }

  public void start() {
    worker.start();
  }

  /** The broker acknowledged this message. Never blocks. */
  public void published(long msgId) {
    if (!queue.offer(msgId)) {
      metrics.outboxMarkDropped();
    }
  }

  /** Ids waiting to be marked. */
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
        table.markPublished(ids, clock.millis());
        return;
      } catch (RuntimeException e) {
        if (attempt == ATTEMPTS) {
          metrics.outboxMarkDropped(ids.size());
          failures.warn(
              "could not mark {} messages published (a republisher re-produces them): {}",
              ids.size(),
              e.toString());
        }
      }
    }
  }

  /** Writes what is queued, for at most {@code timeout}. */
  public void close(Duration timeout) throws InterruptedException {
    closing = true;
    if (!worker.isAlive()) {
      return;
    }
    worker.join(timeout.toMillis());
    if (worker.isAlive()) {
      log.warn("{} published marks not written within {}", queue.size(), timeout);
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
