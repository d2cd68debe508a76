package dev.switchboard.transfer.ids;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Snowflake ids: {@code 0 | 41 bits ms since EPOCH | 10 bits worker | 12 bits sequence}.
 *
 * <p>Unique as long as no two live generators share a worker id (see {@link WorkerIdLease}) and
 * strictly increasing per generator. 41 bits of milliseconds last ~69 years from {@link #EPOCH};
 * 4096 ids per millisecond per worker, after which the generator waits for the next millisecond.
 *
 * <p>Clock going backwards (NTP step): within {@code maxBackwardMillis} the generator keeps issuing
 * from its last timestamp (ids stay increasing; if the 4096 ids of that millisecond run out it
 * waits for the clock to catch up, which takes at most the tolerance). Beyond the tolerance it
 * refuses, because waiting for a clock that jumped back by seconds would stall every request.
 */
public final class SnowflakeIdGenerator implements IdIssuer {
  /** 2025-01-01T00:00:00Z: ids issued before it would be negative. */
  public static final long EPOCH = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

  public static final int WORKER_BITS = 10;
  public static final int SEQUENCE_BITS = 12;
  public static final int MAX_WORKER_ID = (1 << WORKER_BITS) - 1;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;
  private static final int TIMESTAMP_SHIFT = WORKER_BITS + SEQUENCE_BITS;

  private final long workerBits;
  private final LongSupplier clockMillis;
  private final long maxBackwardMillis;

  // Guarded by this.
  private long lastTimestamp = -1;
  private long sequence;

  /**
   * @param workerId 0..1023, unique among live generators
   * @param clockMillis wall clock in epoch milliseconds (injected so tests can move it)
   * @param maxBackwardMillis how far the clock may step back before ids are refused
   */
  public SnowflakeIdGenerator(int workerId, LongSupplier clockMillis, long maxBackwardMillis) {
    if (workerId < 0 || workerId > MAX_WORKER_ID) {
      throw new IllegalArgumentException("worker id must be 0.." + MAX_WORKER_ID + ": " + workerId);
    }
    if (maxBackwardMillis < 0) {
      throw new IllegalArgumentException("maxBackwardMillis must be >= 0: " + maxBackwardMillis);
    }
    this.workerBits = (long) workerId << SEQUENCE_BITS;
    this.clockMillis = clockMillis;
    this.maxBackwardMillis = maxBackwardMillis;
  }

  @Override
  public synchronized long nextId() {
    long now = currentMillis();
    long timestamp = Math.max(now, lastTimestamp);
    if (timestamp == lastTimestamp) {
      sequence = (sequence + 1) & SEQUENCE_MASK;
      if (sequence == 0) {
        timestamp = awaitMillisAfter(lastTimestamp);
      }
    } else {
      sequence = 0;
    }
    lastTimestamp = timestamp;
    return ((timestamp - EPOCH) << TIMESTAMP_SHIFT) | workerBits | sequence;
  }

  /** The worker id encoded in an id. */
  public static int workerOf(long id) {
    return (int) ((id >>> SEQUENCE_BITS) & MAX_WORKER_ID);
  }

  /** The epoch milliseconds encoded in an id. */
  public static long timestampOf(long id) {
    return (id >>> TIMESTAMP_SHIFT) + EPOCH;
  }

  private long currentMillis() {
    long now = clockMillis.getAsLong();
    if (lastTimestamp - now > maxBackwardMillis) {
      throw new IdUnavailableException(
          "clock moved backwards by "
              + (lastTimestamp - now)
              + " ms (tolerance "
              + maxBackwardMillis
              + " ms); refusing to issue ids");
    }
    if (now < EPOCH) {
      throw new IdUnavailableException("clock is before the id epoch: " + now);
    }
    return now;
  }

  /**
   * Waits until the clock passes {@code last}. Bounded by the tolerance (plus slack): the clock is
   * at most {@code maxBackwardMillis} behind {@code last}.
   */
  private long awaitMillisAfter(long last) {
    long deadline = System.nanoTime() + (maxBackwardMillis + 1_000) * 1_000_000L;
    long now;
    while ((now = currentMillis()) <= last) {
      if (System.nanoTime() - deadline > 0) {
        throw new IdUnavailableException("clock did not advance past " + last);
      }
      LockSupport.parkNanos(50_000);
    }
    return now;
  }
}
