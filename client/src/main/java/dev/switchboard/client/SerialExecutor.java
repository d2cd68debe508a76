package dev.switchboard.client;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time in submission order on top of any executor, so that many clients can
 * share one thread pool and still see their own callbacks in order.
 */
final class SerialExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  /** Tasks run per turn on the delegate before yielding it to other clients. */
  private static final int BATCH = 64;

  private final Executor delegate;
  private final Queue<Runnable> queue = new ArrayDeque<>();
  private boolean running; // guarded by queue

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (queue) {
      queue.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RuntimeException e) {
      synchronized (queue) {
        running = false;
        queue.remove(task); // rejected: the caller decides what to do with it
      }
      throw e;
    }
  }

  private void drain() {
    for (int done = 0; ; done++) {
      Runnable task;
      synchronized (queue) {
        if (done == BATCH && !queue.isEmpty()) {
          // Give the shared pool back to other clients now and then; still "running".
          delegate.execute(this::drain);
          return;
        }
        task = queue.poll();
        if (task == null) {
          running = false;
          return;
        }
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("client callback failed", e);
      }
    }
  }
}
