package dev.switchboard.client.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  /** A random source that returns the given doubles, in order. */
  private static RandomGenerator fixed(Double... values) {
    Deque<Double> queue = new ArrayDeque<>(List.of(values));
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("only nextDouble is expected");
      }

      @Override
      public double nextDouble() {
        return queue.removeFirst();
      }
    };
  }

  @Test
  void ceiling_doublesFromTheBase_andStopsAtTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));

    assertThat(
            List.of(0, 1, 2, 3, 4, 5, 6, 7).stream().map(backoff::ceiling).map(Duration::toMillis))
        .containsExactly(200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L);
    assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10)); // no overflow
  }

  @Test
  void fullJitter_drawsUniformlyBetweenZeroAndTheCeiling() {
    RandomGenerator random = fixed(0.0, 0.5, 0.999_999, 0.25, 0.999_999);
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), () -> random);

    assertThat(backoff.fullJitter(0)).isEqualTo(Duration.ZERO); // may retry at once
    assertThat(backoff.fullJitter(1)).isEqualTo(Duration.ofMillis(200)); // half of 400
    assertThat(backoff.fullJitter(2)).isEqualTo(Duration.ofMillis(800)); // the ceiling itself
    assertThat(backoff.fullJitter(10)).isEqualTo(Duration.ofMillis(2500)); // a quarter of the cap
    assertThat(backoff.fullJitter(10)).isEqualTo(Duration.ofSeconds(10)); // never above the cap
  }

  @Test
  void fullJitter_withARealRandom_staysWithinTheCeiling() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    for (int attempt = 0; attempt < 20; attempt++) {
      for (int i = 0; i < 50; i++) {
        assertThat(backoff.fullJitter(attempt)).isBetween(Duration.ZERO, backoff.ceiling(attempt));
      }
    }
  }

  @Test
  void badSettings_areRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).ceiling(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
