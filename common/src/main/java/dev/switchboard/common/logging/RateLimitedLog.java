package dev.switchboard.common.logging;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * WARN at most once per interval, DEBUG otherwise, with a count of what was suppressed. For
 * failures that can repeat per message (a peer gone, a database outage retried per batch) and must
 * not flood the log.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextWarnAt;
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger log, long intervalMillis) {
    this(log, intervalMillis, System::nanoTime);
  }

  RateLimitedLog(Logger log, long intervalMillis, LongSupplier nanoTime) {
    this.log = log;
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.nanoTime = nanoTime;
    this.nextWarnAt = new AtomicLong(nanoTime.getAsLong());
  }

  public void warn(String format, Object... args) {
    long now = nanoTime.getAsLong();
    long due = nextWarnAt.get();
    if (now - due >= 0 && nextWarnAt.compareAndSet(due, now + intervalNanos)) {
      long skipped = suppressed.getAndSet(0);
      if (skipped > 0) {
        log.warn(format + " ({} similar suppressed)", append(args, skipped));
      } else {
        log.warn(format, args);
      }
    } else {
      suppressed.incrementAndGet();
      log.debug(format, args);
    }
  }

  private static Object[] append(Object[] args, Object last) {
    Object[] all = new Object[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = last;
    return all;
  }
}
