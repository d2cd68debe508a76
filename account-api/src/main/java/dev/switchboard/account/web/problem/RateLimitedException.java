package dev.switchboard.account.web.problem;

import java.time.Duration;

/**
 * Thrown by controllers when the caller exceeded a rate limit; {@link ProblemAdvice} answers 429
 * "rate-limited" with a {@code Retry-After} header.
 */
public final class RateLimitedException extends RuntimeException {
  private final long retryAfterSeconds;

  public RateLimitedException(String detail, Duration retryAfter) {
    super(detail, null, false, false);
    this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
