package dev.switchboard.offlinestore.store;

/**
 * Tells waiting readers that this instance's consumers committed another batch, so a Sync that
 * waits for a conversation to catch up re-checks at once instead of at its next poll. Batches of
 * other instances are only seen by polling the database, so waiters always use a timeout.
 */
public final class StoreProgress {
  private long version;

  /** Called by a consumer after each MySQL commit. */
  public synchronized void advanced() {
    version++;
    notifyAll();
  }

  public synchronized long version() {
    return version;
  }

  /**
   * Returns when a batch was committed after {@code seenVersion} was read, or after {@code
   * timeoutMillis}, whichever comes first.
   */
  public synchronized void awaitAfter(long seenVersion, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (version == seenVersion) {
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000L;
      if (remainingMillis <= 0) {
        return;
      }
      wait(remainingMillis);
    }
  }
}
