package dev.switchboard.common.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server opened, in the order it opened it, each with two ways to end: a graceful close, and
 * what is left of that close when the process dies instead (kill -9). Both run in reverse order,
 * each step once, a failing step logged and skipped. The crash variant exists for fault tests,
 * which must stop a server the way a dead process stops: nothing drained, flushed, committed or
 * deregistered, while still freeing this JVM's threads and sockets.
 */
public final class Teardown {
  private static final Logger log = LoggerFactory.getLogger(Teardown.class);

  /** A step a dead process does not take at all (e.g. deregistering: its session does that). */
  public static final Action NOTHING = () -> {};

  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private record Step(String name, Action close, Action crash) {}

  private final String owner;
  private final Deque<Step> opened = new ArrayDeque<>();

  /**
   * @param owner names the server in log lines, e.g. "transfer transfer-1"
   */
  public Teardown(String owner) {
    this.owner = owner;
  }

  /**
   * A step that a crash takes just like a close, because it only frees what this process holds
   * (threads, a meter registry, a listening socket).
   */
  public void onClose(String name, Action close) {
    onClose(name, close, close);
  }

  /**
   * @param crash the same step as a dying process takes it: at once, without waiting or telling
   *     anyone; {@link #NOTHING} where it does nothing at all
   */
  public synchronized void onClose(String name, Action close, Action crash) {
    opened.addLast(new Step(name, close, crash));
  }

  /** Closes everything opened so far, gracefully. */
  public void close() {
    run(false);
  }

  /** Ends everything opened so far the way a killed process would. */
  public void crash() {
    run(true);
  }

  private void run(boolean crash) {
    String doing = crash ? "crashing" : "closing";
    boolean interrupted = false;
    Step step;
    while ((step = next()) != null) {
      long startedAt = System.nanoTime();
      try {
        (crash ? step.crash() : step.close()).run();
        log.debug(
            "{}: {} {} took {} ms",
            owner,
            doing,
            step.name(),
            (System.nanoTime() - startedAt) / 1_000_000);
      } catch (InterruptedException e) {
        // The remaining steps still run (each is bounded); the interrupt is kept for the caller.
        interrupted = true;
        log.warn("{}: interrupted while {} {}", owner, doing, step.name());
      } catch (Exception e) {
        log.warn("{}: {} {} failed: {}", owner, doing, step.name(), e.toString());
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized Step next() {
    return opened.pollLast();
  }
}
