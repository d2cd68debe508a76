package dev.switchboard.bench.util;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Runs an asynchronous step for every item with at most {@code concurrency} in flight, e.g. the
 * registrations before a run (Argon2 makes each one expensive) or the logins of a connection ramp.
 */
public final class AsyncLimiter {
  private AsyncLimiter() {}

  /** Results in the order of {@code items}; the first failure fails the whole batch. */
  public static <T, R> List<R> all(
      List<T> items, int concurrency, Function<T, CompletableFuture<R>> step) {
    Semaphore permits = new Semaphore(concurrency);
    @SuppressWarnings("unchecked")
    CompletableFuture<R>[] futures = new CompletableFuture[items.size()];
    for (int i = 0; i < items.size(); i++) {
      permits.acquireUninterruptibly();
      CompletableFuture<R> f;
      try {
        f = step.apply(items.get(i));
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      futures[i] = f;
      f.whenComplete((r, e) -> permits.release());
    }
    CompletableFuture.allOf(futures).join();
    return java.util.Arrays.stream(futures).map(CompletableFuture::join).toList();
  }
}
