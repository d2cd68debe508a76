package dev.switchboard.account.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallerRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final CallerRateLimiter limiter = new CallerRateLimiter(30, nanos::get);

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Test
  void aFullBucket_allowsABurstOfItsCapacityThenRefusesWithTheWait() {
    for (int i = 0; i < 30; i++) {
      assertThat(limiter.tryAcquire(1)).as("call " + i).isEmpty();
    }

    // 30 a minute refills one permit every 2 seconds.
    assertThat(limiter.tryAcquire(1)).hasValue(Duration.ofSeconds(2));
  }

  @Test
  void permitsComeBackOverTime() {
    for (int i = 0; i < 30; i++) {
      limiter.tryAcquire(1);
    }
    advance(Duration.ofMillis(1_500));
    assertThat(limiter.tryAcquire(1)).hasValue(Duration.ofSeconds(1));

    advance(Duration.ofMillis(500));
    assertThat(limiter.tryAcquire(1)).isEmpty();
    assertThat(limiter.tryAcquire(1)).isPresent();
  }

  @Test
  void callersHaveTheirOwnBuckets() {
    for (int i = 0; i < 30; i++) {
      limiter.tryAcquire(1);
    }

    assertThat(limiter.tryAcquire(1)).isPresent();
    assertThat(limiter.tryAcquire(2)).isEmpty();
  }

  @Test
  void fullBuckets_areForgottenOnceManyCallersAreTracked() {
    for (int i = 0; i < 30; i++) {
      limiter.tryAcquire(-1);
    }
    for (long caller = 1; caller < CallerRateLimiter.PRUNE_THRESHOLD; caller++) {
      limiter.tryAcquire(caller);
    }
    // Every bucket is full again a minute later; the next new caller crosses the threshold.
    advance(Duration.ofMinutes(1));
    limiter.tryAcquire(0);

    assertThat(limiter.trackedCallers()).isEqualTo(1);
    assertThat(limiter.tryAcquire(-1)).isEmpty();
  }

  @Test
  void activeBuckets_surviveTheSweep() {
    for (int i = 0; i < 30; i++) {
      limiter.tryAcquire(-1);
    }
    for (long caller = 1; caller <= CallerRateLimiter.PRUNE_THRESHOLD; caller++) {
      limiter.tryAcquire(caller);
    }

    assertThat(limiter.tryAcquire(-1)).isPresent();
  }
}
