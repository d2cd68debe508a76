package dev.switchboard.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Whether and how a {@link SwitchboardClient} comes back after its connection dropped.
 *
 * <p>Attempt {@code n} (from 0) waits a delay drawn uniformly from {@code [0, min(maxDelay,
 * baseDelay * 2^n)]} ("full jitter": clients that lost the same connector spread out instead of
 * returning in lockstep). The first attempt goes to the same connector with the same token; when
 * that connector is gone (refused, closed, silent) or the token is no longer accepted, the next
 * ones log in again over REST — if the client has the username and password ({@link
 * SwitchboardClient#loginAndConnect}, {@link SwitchboardClient#connect(
 * dev.switchboard.client.rest.LoginSession, String, String)}) — and use the connector account-api
 * hands out; otherwise they keep trying the session's connector.
 *
 * @param enabled false: a dropped connection stays down (what {@link ClientListener#onDisconnected}
 *     reports is final). Default true
 * @param baseDelay the ceiling of the first attempt's delay; default 200ms
 * @param maxDelay the cap of the doubling ceiling; default 10s
 * @param maxAttempts attempts before giving up ({@link ClientListener#onReconnectFailed}); 0 =
 *     unlimited (default)
 * @param random the jitter's source, called on the client's event loop for each draw; default
 *     {@link ThreadLocalRandom#current()}. Tests pass a fixed sequence
 */
public record ReconnectPolicy(
    boolean enabled,
    Duration baseDelay,
    Duration maxDelay,
    int maxAttempts,
    Supplier<RandomGenerator> random) {

  public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(10);

  public ReconnectPolicy {
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (baseDelay.isZero() || baseDelay.isNegative()) {
      throw new IllegalArgumentException("baseDelay must be positive, got " + baseDelay);
    }
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay " + maxDelay + " must not be below baseDelay " + baseDelay);
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must be >= 0, got " + maxAttempts);
    }
    random = random == null ? ThreadLocalRandom::current : random;
  }

  /** Enabled, 200ms doubling up to 10s with full jitter, unlimited attempts. */
  public static ReconnectPolicy defaults() {
    return new ReconnectPolicy(true, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, 0, null);
  }

  /** No automatic reconnect: a dropped connection stays down. */
  public static ReconnectPolicy disabled() {
    return new ReconnectPolicy(false, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, 0, null);
  }

  /** A copy with other delays. */
  public ReconnectPolicy withDelays(Duration baseDelay, Duration maxDelay) {
    return new ReconnectPolicy(enabled, baseDelay, maxDelay, maxAttempts, random);
  }

  /** A copy with another attempt limit (0 = unlimited). */
  public ReconnectPolicy withMaxAttempts(int maxAttempts) {
    return new ReconnectPolicy(enabled, baseDelay, maxDelay, maxAttempts, random);
  }

  /** A copy with another jitter source. */
  public ReconnectPolicy withRandom(Supplier<RandomGenerator> random) {
    return new ReconnectPolicy(enabled, baseDelay, maxDelay, maxAttempts, random);
  }
}
