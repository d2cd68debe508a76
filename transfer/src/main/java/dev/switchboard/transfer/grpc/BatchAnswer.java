package dev.switchboard.transfer.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The results of one batch call's items, which finish on different handler threads in any order:
 * once the last is set, {@code onComplete} gets them all in request order, exactly once.
 */
final class BatchAnswer<T> {
  private final Object[] results;
  private final AtomicInteger missing;
  private final Consumer<List<T>> onComplete;

  BatchAnswer(int size, Consumer<List<T>> onComplete) {
    this.results = new Object[size];
    this.missing = new AtomicInteger(size);
    this.onComplete = onComplete;
    if (size == 0) {
      onComplete.accept(List.of());
    }
  }

  /** Sets item {@code index}'s result; each index exactly once. */
  void set(int index, T result) {
    if (results[index] != null) {
      throw new IllegalStateException("result " + index + " set twice");
    }
    results[index] = result;
    // The decrement publishes this write to whoever sees the count reach zero.
    if (missing.decrementAndGet() == 0) {
      onComplete.accept(collect());
    }
  }

  @SuppressWarnings("unchecked")
  private List<T> collect() {
    List<T> all = new ArrayList<>(results.length);
    for (Object result : results) {
      all.add((T) result);
    }
    return all;
  }
}
