package dev.switchboard.client.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client pulls what it missed ({@code SyncReq}). Besides the pass the connector starts right
 * after login, the client syncs on a seq gap, when a conversation head shows messages it does not
 * hold yet, and after a quiet {@link #idleInterval}.
 *
 * @param idleInterval a sync pass after this long without any message, receipt or sync page; closes
 *     whatever the other triggers missed and costs one empty page when nothing changed. {@link
 *     Duration#ZERO} turns it off. Default 60s
 * @param headRetryDelay the wait before syncing again when a head is above what the client holds (a
 *     message accepted but not stored yet); doubles per consecutive attempt. Default 200ms
 * @param headRetryMaxDelay the cap of that doubling; default 2s
 * @param headRetryAttempts consecutive head-driven passes before the client stops chasing a head
 *     (until the next gap, idle sync or reconnect); default 8
 * @param pageSize {@code SyncReq.limit}; 0 = the server's default. Default 0
 */
public record SyncPolicy(
    Duration idleInterval,
    Duration headRetryDelay,
    Duration headRetryMaxDelay,
    int headRetryAttempts,
    int pageSize) {

  public static final Duration DEFAULT_IDLE_INTERVAL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_HEAD_RETRY_DELAY = Duration.ofMillis(200);
  public static final Duration DEFAULT_HEAD_RETRY_MAX_DELAY = Duration.ofSeconds(2);
  public static final int DEFAULT_HEAD_RETRY_ATTEMPTS = 8;

  public SyncPolicy {
    Objects.requireNonNull(idleInterval, "idleInterval");
    if (idleInterval.isNegative()) {
      throw new IllegalArgumentException("idleInterval must not be negative: " + idleInterval);
    }
    Objects.requireNonNull(headRetryDelay, "headRetryDelay");
    Objects.requireNonNull(headRetryMaxDelay, "headRetryMaxDelay");
    if (headRetryDelay.isZero() || headRetryDelay.isNegative()) {
      throw new IllegalArgumentException("headRetryDelay must be positive: " + headRetryDelay);
    }
    if (headRetryMaxDelay.compareTo(headRetryDelay) < 0) {
      throw new IllegalArgumentException(
          "headRetryMaxDelay " + headRetryMaxDelay + " is below headRetryDelay " + headRetryDelay);
    }
    if (headRetryAttempts < 0) {
      throw new IllegalArgumentException("headRetryAttempts must be >= 0: " + headRetryAttempts);
    }
    if (pageSize < 0) {
      throw new IllegalArgumentException("pageSize must be >= 0: " + pageSize);
    }
  }

  /** 60s idle sync, head retries 200ms doubling to 2s, 8 attempts, the server's page size. */
  public static SyncPolicy defaults() {
    return new SyncPolicy(
        DEFAULT_IDLE_INTERVAL,
        DEFAULT_HEAD_RETRY_DELAY,
        DEFAULT_HEAD_RETRY_MAX_DELAY,
        DEFAULT_HEAD_RETRY_ATTEMPTS,
        0);
  }

  /** A copy with another idle interval ({@link Duration#ZERO}: no idle sync). */
  public SyncPolicy withIdleInterval(Duration idleInterval) {
    return new SyncPolicy(
        idleInterval, headRetryDelay, headRetryMaxDelay, headRetryAttempts, pageSize);
  }
}
