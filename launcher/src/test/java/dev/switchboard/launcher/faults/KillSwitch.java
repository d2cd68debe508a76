package dev.switchboard.launcher.faults;

import dev.switchboard.offlinestore.ingest.IngestHooks;
import dev.switchboard.transfer.message.IntakeHook;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kills one server instance at one of its own fault-injection seams, the worst moment for it to
 * die: once armed, the next time the instance reaches the seam it crashes right there, on the
 * thread that reached it, so nothing after the seam happens. Given to the instance as its hook
 * ({@link #betweenCommitAndAppend()}, {@link #betweenDatabaseAndOffsetCommit()}) before it is
 * built, and told how to crash it ({@link #attach}) once it is.
 */
final class KillSwitch {
  private final CompletableFuture<Runnable> crash = new CompletableFuture<>();
  private final AtomicBoolean armed = new AtomicBoolean();
  private final CompletableFuture<String> fired = new CompletableFuture<>();

  /** How to kill the instance this switch is the hook of (its {@code crash()}). */
  void attach(Runnable crash) {
    this.crash.complete(crash);
  }

  /**
   * Arms the switch and waits until it fired.
   *
   * @return what was in hand at the seam
   */
  String killAtNextSeam(Duration atMost) throws Exception {
    if (!crash.isDone()) {
      throw new IllegalStateException("not attached to an instance");
    }
    armed.set(true);
    return fired.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** transfer's seam: a message's seq is committed in MySQL, its Kafka append not started. */
  IntakeHook betweenCommitAndAppend() {
    return accepted ->
        reached(
            "message "
                + accepted.getId()
                + " ("
                + accepted.getConversationId()
                + " seq "
                + accepted.getSeq()
                + ") committed, not in Kafka");
  }

  /** offline-store's seam: a batch is in MySQL, its Kafka offsets are not committed. */
  IngestHooks betweenDatabaseAndOffsetCommit() {
    return new IngestHooks() {
      @Override
      public void afterDatabaseCommit(int records) {
        reached("a batch of " + records + " records in MySQL, offsets not committed");
      }
    };
  }

  private void reached(String inHand) {
    if (armed.compareAndSet(true, false)) {
      // On a thread of its own: the crash interrupts the server's threads, this one included,
      // which would cut the crash itself short. This thread stays at the seam until it is over
      // (join() is deaf to that interrupt).
      CompletableFuture.runAsync(crash.join()).join();
      fired.complete(inHand);
    }
  }
}
