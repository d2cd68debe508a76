package dev.switchboard.transfer.ids;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker id held as an ephemeral ZooKeeper node {@code <basePath>/<n>} (first free n), so no two
 * live transfer instances share a Snowflake worker id.
 *
 * <p>The lease is only as good as the ZooKeeper session, and while the connection is down
 * (SUSPENDED) nobody here can know whether the server already expired the session, deleted the node
 * and let another instance take the number. So {@link #isValid()} turns false at SUSPENDED (and
 * LOST) and true again only after a reconnect confirmed the node: our token, owned by our current
 * session. The confirmation runs on the lease's own scheduler and is retried with backoff ({@value
 * #FIRST_RETRY_MILLIS} ms doubling up to {@value #MAX_RETRY_MILLIS} ms) while ZooKeeper errors or
 * while our node of an expired session still waits for the server to delete it (deleting it
 * ourselves could race with another instance re-creating the number). If the node is gone it is
 * re-created.
 *
 * <p>If another instance holds the number, the lease is lost for good: it stays invalid, logs an
 * ERROR, and runs the {@link #onLostForGood} action, which deregisters this instance so that
 * connectors stop picking it (a restart gets a fresh number).
 */
public final class WorkerIdLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerIdLease.class);
  static final long FIRST_RETRY_MILLIS = 100;
  static final long MAX_RETRY_MILLIS = 10_000;

  /** Where confirmation attempts run; a ScheduledExecutorService in production. */
  @FunctionalInterface
  interface Scheduler {
    void schedule(Runnable task, long delayMillis);
  }

  private enum State {
    VALID,
    /** Disconnected (or the session lost): waiting for a reconnect. */
    SUSPENDED,
    /** Reconnected: confirming or re-creating the node. */
    CONFIRMING,
    LOST_FOR_GOOD,
    CLOSED
  }

  private final LeaseNode node;
  private final int workerId;
  private final Scheduler scheduler;
  private final ScheduledExecutorService ownScheduler;
  private final ConnectionStateListener listener = (client, state) -> onConnectionState(state);
  private final CuratorFramework zk;

  // Guarded by this. attempt identifies the current confirmation round: a suspension or a newer
  // reconnect starts a new one, and results of older rounds are dropped.
  private State state = State.VALID;
  private long attempt;
  private Runnable lostForGoodAction = () -> {};

  WorkerIdLease(
      LeaseNode node,
      int workerId,
      Scheduler scheduler,
      CuratorFramework zk,
      ScheduledExecutorService ownScheduler) {
    this.node = node;
    this.workerId = workerId;
    this.scheduler = scheduler;
    this.zk = zk;
    this.ownScheduler = ownScheduler;
  }

  /**
   * Takes the first free number in {@code 0..maxWorkerId} under {@code basePath}.
   *
   * @throws IllegalStateException if all numbers are taken
   */
  public static WorkerIdLease acquire(
      CuratorFramework zk, String basePath, int maxWorkerId, String owner) throws Exception {
    byte[] token = (owner + "/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    for (int n = 0; n <= maxWorkerId; n++) {
      ZooKeeperLeaseNode node = new ZooKeeperLeaseNode(zk, basePath + "/" + n, token);
      if (!node.create()) {
        continue;
      }
      ScheduledExecutorService executor =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "transfer-worker-id-lease");
                thread.setDaemon(true);
                return thread;
              });
      WorkerIdLease lease =
          new WorkerIdLease(
              node,
              n,
              (task, delay) -> executor.schedule(task, delay, TimeUnit.MILLISECONDS),
              zk,
              executor);
      zk.getConnectionStateListenable().addListener(lease.listener);
      log.info("worker id {} leased at {} by {}", n, node.path(), owner);
      return lease;
    }
    throw new IllegalStateException(
        "no free worker id under " + basePath + " (all 0.." + maxWorkerId + " taken)");
  }

  public int workerId() {
    return workerId;
  }

  /** True only while the node is known to be ours under the current session. */
  public synchronized boolean isValid() {
    return state == State.VALID;
  }

  /** True once another instance holds the number; the lease never becomes valid again. */
  public synchronized boolean isLostForGood() {
    return state == State.LOST_FOR_GOOD;
  }

  /**
   * What to do when the number is lost for good (deregister from discovery); runs at once if it
   * already is.
   */
  public void onLostForGood(Runnable action) {
    boolean already;
    synchronized (this) {
      lostForGoodAction = action;
      already = state == State.LOST_FOR_GOOD;
    }
    if (already) {
      action.run();
    }
  }

  /** Curator's view of the connection; called on Curator's event thread. */
  synchronized void onConnectionState(ConnectionState connection) {
    if (state == State.CLOSED || state == State.LOST_FOR_GOOD) {
      return;
    }
    switch (connection) {
      case SUSPENDED, LOST, READ_ONLY -> {
        if (state == State.VALID) {
          log.warn(
              "ZooKeeper connection {}: worker id {} not used until the lease is confirmed",
              connection,
              workerId);
        }
        state = State.SUSPENDED;
        attempt++;
      }
      case CONNECTED, RECONNECTED -> {
        state = State.CONFIRMING;
        long round = ++attempt;
        scheduler.schedule(() -> confirm(round, FIRST_RETRY_MILLIS), 0);
      }
      default -> {}
    }
  }

  /** One confirmation attempt of round {@code round}; reschedules itself while undecided. */
  private void confirm(long round, long nextDelay) {
    if (!isCurrent(round)) {
      return;
    }
    LeaseNode.Holder holder;
    boolean created = false;
    try {
      holder = node.holder();
      if (holder == LeaseNode.Holder.NONE) {
        created = node.create();
      }
    } catch (Exception e) {
      log.warn(
          "could not confirm worker id {} (retrying in {} ms): {}",
          workerId,
          nextDelay,
          e.toString());
      retry(round, nextDelay);
      return;
    }
    switch (holder) {
      case OURS -> confirmed(round, "confirmed");
      case NONE -> {
        if (created) {
          confirmed(round, "re-leased");
        } else {
          // Someone created it between our read and our create: look again.
          retry(round, nextDelay);
        }
      }
      case OURS_STALE -> {
        log.info(
            "worker id {}: our node of an expired session still exists; waiting for ZooKeeper to"
                + " delete it (retrying in {} ms)",
            workerId,
            nextDelay);
        retry(round, nextDelay);
      }
      case OTHER -> lostForGood(round);
    }
  }

  private synchronized boolean isCurrent(long round) {
    return state == State.CONFIRMING && attempt == round;
  }

  private void retry(long round, long delay) {
    long next = Math.min(delay * 2, MAX_RETRY_MILLIS);
    scheduler.schedule(() -> confirm(round, next), delay);
  }

  private void confirmed(long round, String how) {
    synchronized (this) {
      if (state != State.CONFIRMING || attempt != round) {
        return;
      }
      state = State.VALID;
    }
    log.info("worker id {} {} after reconnect; issuing ids again", workerId, how);
  }

  private void lostForGood(long round) {
    Runnable action;
    synchronized (this) {
      if (state != State.CONFIRMING || attempt != round) {
        return;
      }
      state = State.LOST_FOR_GOOD;
      action = lostForGoodAction;
    }
    log.error(
        "worker id {} ({}) was taken by another instance while this one was disconnected; this"
            + " instance issues no ids any more and leaves discovery: restart it",
        workerId,
        node.path());
    action.run();
  }

  /** Stops issuing and releases the number at once, so a new instance can take it. */
  @Override
  public void close() {
    if (stop()) {
      try {
        node.release();
      } catch (Exception e) {
        // Ephemeral: it goes with the session anyway.
      }
    }
  }

  /**
   * Stops issuing without releasing the number: what a killed process leaves behind. The node goes
   * only with the ZooKeeper session, so until the session ends no other instance can take the
   * number (the lease keeps protecting ids this instance issued before it died).
   */
  public void abandon() {
    stop();
  }

  /** Returns false if the lease was already stopped. */
  private boolean stop() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return false;
      }
      state = State.CLOSED;
      attempt++;
    }
    if (zk != null) {
      zk.getConnectionStateListenable().removeListener(listener);
    }
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
    return true;
  }
}
