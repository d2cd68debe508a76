package dev.switchboard.client.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff: attempt {@code n} (from 0) has the ceiling {@code min(cap, base * 2^n)}.
 * {@link #fullJitter} draws the delay uniformly from {@code [0, ceiling]} ("full jitter"), so that
 * thousands of clients that lost the same connector do not come back in lockstep; {@link #ceiling}
 * is the plain exponential delay for retries that only this client makes.
 *
 * <p>The random source is injected: tests pass a fixed sequence and get exact delays.
 */
public final class Backoff {

  private final long baseMillis;
  private final long capMillis;
  private final Supplier<RandomGenerator> random;

  /**
   * @param random where {@link #fullJitter} draws from; called on every draw (so {@code
   *     ThreadLocalRandom::current} works from any thread)
   */
  public Backoff(Duration base, Duration cap, Supplier<RandomGenerator> random) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("base must be positive, got " + base);
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("cap " + cap + " must not be below base " + base);
    }
    this.baseMillis = base.toMillis();
    this.capMillis = cap.toMillis();
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Full jitter drawn from {@link ThreadLocalRandom}. */
  public Backoff(Duration base, Duration cap) {
    this(base, cap, ThreadLocalRandom::current);
  }

  /** {@code min(cap, base * 2^attempt)}; attempt 0 is the first retry. */
  public Duration ceiling(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0, got " + attempt);
    }
    // base * 2^attempt without overflow: once the shift passes the cap it stays there.
    long ceiling = baseMillis;
    for (int i = 0; i < attempt && ceiling < capMillis; i++) {
      ceiling *= 2;
    }
    return Duration.ofMillis(Math.min(ceiling, capMillis));
  }

  /** A delay drawn uniformly from {@code [0, ceiling(attempt)]}. */
  public Duration fullJitter(int attempt) {
    long ceiling = ceiling(attempt).toMillis();
    double u = random.get().nextDouble(); // [0, 1)
    return Duration.ofMillis(Math.min(ceiling, (long) (u * (ceiling + 1))));
  }
}
