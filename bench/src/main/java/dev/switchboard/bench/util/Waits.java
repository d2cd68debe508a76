package dev.switchboard.bench.util;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a deadline passes. The load generator watches counters that
 * many threads move (delivered messages, logged-in connections), so polling a cheap read every few
 * milliseconds is simpler and cheaper than making every increment signal a waiter.
 */
public final class Waits {
  private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();

  private Waits() {}

  /** True if {@code condition} held before {@code timeout}; false when the time ran out. */
  public static boolean until(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return true;
  }

  /** Parks until {@code deadlineNanos} (a {@link System#nanoTime()} value). */
  public static void parkUntil(long deadlineNanos) {
    long left;
    while ((left = deadlineNanos - System.nanoTime()) > 0 && !Thread.interrupted()) {
      LockSupport.parkNanos(left);
    }
  }
}
