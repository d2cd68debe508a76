package dev.switchboard.account.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller (Bucket4j, in memory): {@code permitsPerMinute} calls at once, then one
 * more every {@code 60s / permitsPerMinute}.
 *
 * <p>In memory, per account-api instance, on purpose: the limit slows down a script enumerating
 * usernames; behind N instances it allows N times as much, which is still slow, and it needs no
 * Redis round trip on the request path. A shared limit would be a Bucket4j proxy over Redis.
 *
 * <p>Memory stays bounded without timers: a bucket that has refilled completely is exactly a new
 * bucket, so when the map grows past {@link #PRUNE_THRESHOLD} callers, full buckets are dropped. (A
 * permit taken from a bucket in the instant it is dropped is forgotten: one extra call, once.)
 */
public final class CallerRateLimiter {
  /** Tracked callers before full buckets are swept out; a few MB at most. */
  static final int PRUNE_THRESHOLD = 10_000;

  private final long permitsPerMinute;
  private final TimeMeter time;
  private final ConcurrentMap<Long, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile int nextPruneAt = PRUNE_THRESHOLD;

  public CallerRateLimiter(int permitsPerMinute) {
    this(permitsPerMinute, System::nanoTime);
  }

  /** With a nano-time source, for tests. */
  public CallerRateLimiter(int permitsPerMinute, LongSupplier nanoTime) {
    if (permitsPerMinute <= 0) {
      throw new IllegalArgumentException("permitsPerMinute must be positive");
    }
    this.permitsPerMinute = permitsPerMinute;
    this.time =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return nanoTime.getAsLong();
          }

          @Override
          public boolean isWallClockBased() {
            return false;
          }
        };
  }

  /**
   * Takes one permit for the caller.
   *
   * @return empty when the call may go ahead, otherwise how long until a permit is free (at least
   *     one second, the granularity of {@code Retry-After})
   */
  public Optional<Duration> tryAcquire(long callerId) {
    Bucket bucket = buckets.computeIfAbsent(callerId, id -> newBucket());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (buckets.size() > nextPruneAt) {
      prune();
    }
    if (probe.isConsumed()) {
      return Optional.empty();
    }
    long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    return Optional.of(Duration.ofSeconds(seconds));
  }

  /** Callers currently tracked (for tests). */
  int trackedCallers() {
    return buckets.size();
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            limit ->
                limit
                    .capacity(permitsPerMinute)
                    .refillGreedy(permitsPerMinute, Duration.ofMinutes(1)))
        .withCustomTimePrecision(time)
        .build();
  }

  /**
   * Drops buckets that are full again. If most callers are active, the next sweep waits until the
   * map has doubled, so sweeping costs O(1) per call on average.
   */
  private synchronized void prune() {
    if (buckets.size() <= nextPruneAt) {
      return;
    }
    buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= permitsPerMinute);
    nextPruneAt = Math.max(PRUNE_THRESHOLD, buckets.size() * 2);
  }
}
