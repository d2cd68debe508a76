package dev.switchboard.client.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.FutureTask;

/**
 * A {@link TaskScheduler} and clock under the test's control: nothing runs until {@link #advance}
 * moves time past a task's due time. Single-threaded, like the event loop it stands in for.
 */
public final class ManualScheduler implements TaskScheduler, InstantSource {

  private record Task(long dueMillis, long order, Duration delay, FutureTask<Void> future) {}

  private final List<Task> tasks = new ArrayList<>();
  private long nowMillis = 1_000_000;
  private long order;

  @Override
  public FutureTask<Void> schedule(Runnable task, Duration delay) {
    FutureTask<Void> future = new FutureTask<>(task, null);
    tasks.add(new Task(nowMillis + delay.toMillis(), order++, delay, future));
    return future;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(nowMillis);
  }

  /** Moves time forward by {@code millis}, running every task that becomes due, in due order. */
  public void advance(long millis) {
    long target = nowMillis + millis;
    while (true) {
      Task next =
          tasks.stream()
              .filter(t -> !t.future().isCancelled() && t.dueMillis() <= target)
              .min(Comparator.comparingLong(Task::dueMillis).thenComparingLong(Task::order))
              .orElse(null);
      if (next == null) {
        break;
      }
      tasks.remove(next);
      nowMillis = Math.max(nowMillis, next.dueMillis());
      next.future().run();
    }
    nowMillis = target;
    tasks.removeIf(t -> t.future().isCancelled());
  }

  /** Delays of the tasks still waiting (not cancelled), in scheduling order. */
  public List<Duration> pendingDelays() {
    return tasks.stream()
        .filter(t -> !t.future().isCancelled() && !t.future().isDone())
        .map(Task::delay)
        .toList();
  }

  /** How many tasks wait (not cancelled). */
  public int pending() {
    return pendingDelays().size();
  }
}
