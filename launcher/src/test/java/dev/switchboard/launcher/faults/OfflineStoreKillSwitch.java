package dev.switchboard.launcher.faults;

import dev.switchboard.offlinestore.OfflineStoreServer;
import dev.switchboard.offlinestore.ingest.IngestHooks;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kills the offline-store instance it is attached to at the seam between its MySQL commit and its
 * Kafka offset commit: once armed, the next batch that reaches MySQL is the instance's last. It
 * crashes right there, on the consumer thread inside the hook, so that batch's offsets are never
 * committed and the next instance reads it again.
 */
final class OfflineStoreKillSwitch implements IngestHooks {
  private final CompletableFuture<OfflineStoreServer> victim = new CompletableFuture<>();
  private final AtomicBoolean armed = new AtomicBoolean();
  private final CompletableFuture<Integer> killed = new CompletableFuture<>();

  /** The instance this switch was handed to as its hooks (known only once it was built). */
  void attach(OfflineStoreServer server) {
    victim.complete(server);
  }

  /**
   * Arms the switch and waits until it fired.
   *
   * @return how many records the last batch had: in MySQL, their offsets not committed
   */
  int killAtNextBatch(Duration atMost) throws Exception {
    if (!victim.isDone()) {
      throw new IllegalStateException("not attached to an instance");
    }
    armed.set(true);
    return killed.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void afterDatabaseCommit(int records) {
    if (armed.compareAndSet(true, false)) {
      victim.join().crash();
      killed.complete(records);
    }
  }
}
