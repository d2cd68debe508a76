package dev.switchboard.client.retry;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay. The client uses its event loop; tests pass a manual scheduler to
 * drive retries, backoff and idle timers without waiting.
 *
 * <p>Tasks must run on the thread that owns the caller's state (the client's event loop), so that
 * the state machines built on it need no locks.
 */
@FunctionalInterface
public interface TaskScheduler {

  /** Schedules {@code task}; cancelling the returned future before it runs prevents it. */
  Future<?> schedule(Runnable task, Duration delay);

  /** Schedules on a Netty event loop. */
  static TaskScheduler on(EventLoop loop) {
    return (task, delay) -> loop.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Cancels {@code f} if there is one; null-safe. */
  static void cancel(Future<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
