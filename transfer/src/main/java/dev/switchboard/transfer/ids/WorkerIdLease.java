package dev.switchboard.transfer.ids;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker id held as an ephemeral ZooKeeper node {@code <basePath>/<n>} (first free n), so no two
 * live transfer instances share a Snowflake worker id.
 *
 * <p>The lease is only as good as the ZooKeeper session: when Curator reports the session LOST, the
 * node may already be gone and another instance may take the number, so {@link #isValid()} turns
 * false until the node is re-created under the new session. The node's data is a random token per
 * lease, so after a reconnect this instance can tell its own (stale) node from someone else's. If
 * someone else took the number meanwhile the lease stays invalid and ids are refused: restarting
 * the instance gets a fresh number.
 */
public final class WorkerIdLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerIdLease.class);

  private final CuratorFramework zk;
  private final String path;
  private final int workerId;
  private final byte[] token;
  private final ConnectionStateListener listener = this::onStateChanged;
  private volatile boolean valid = true;
  private volatile boolean closed;

  private WorkerIdLease(CuratorFramework zk, String path, int workerId, byte[] token) {
    this.zk = zk;
    this.path = path;
    this.workerId = workerId;
    this.token = token;
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
      String path = basePath + "/" + n;
      try {
        zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, token);
      } catch (KeeperException.NodeExistsException taken) {
        continue;
      }
      WorkerIdLease lease = new WorkerIdLease(zk, path, n, token);
      zk.getConnectionStateListenable().addListener(lease.listener);
      log.info("worker id {} leased at {} by {}", n, path, owner);
      return lease;
    }
    throw new IllegalStateException(
        "no free worker id under " + basePath + " (all 0.." + maxWorkerId + " taken)");
  }

  public int workerId() {
    return workerId;
  }

  /** False while the ZooKeeper session that holds the node may be gone. */
  public boolean isValid() {
    return valid && !closed;
  }

  private void onStateChanged(CuratorFramework client, ConnectionState state) {
    if (closed) {
      return;
    }
    switch (state) {
      case LOST -> {
        valid = false;
        log.warn("ZooKeeper session lost: worker id {} suspended until re-leased", workerId);
      }
      case RECONNECTED -> {
        if (!valid) {
          valid = reclaim();
        }
      }
      default -> {
        // SUSPENDED: the session (and so the node) is still ours until LOST.
      }
    }
  }

  /** Re-creates the node under the new session; false if another instance holds the number. */
  private boolean reclaim() {
    try {
      try {
        zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, token);
        log.info("worker id {} re-leased after session loss", workerId);
        return true;
      } catch (KeeperException.NodeExistsException exists) {
        byte[] holder = zk.getData().forPath(path);
        if (!Arrays.equals(holder, token)) {
          log.error(
              "worker id {} was taken by another instance while the session was lost; this"
                  + " instance refuses to issue ids until restarted",
              workerId);
          return false;
        }
        // Our node from the old session, which the server has not expired yet: replace it so it
        // does not vanish under us later.
        zk.delete().forPath(path);
        zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, token);
        log.info("worker id {} re-leased after session loss", workerId);
        return true;
      }
    } catch (Exception e) {
      log.warn("could not re-lease worker id {}: {}", workerId, e.toString());
      return false;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    zk.getConnectionStateListenable().removeListener(listener);
    try {
      byte[] holder = zk.getData().forPath(path);
      if (Arrays.equals(holder, token)) {
        zk.delete().forPath(path);
      }
    } catch (Exception e) {
      // Ephemeral: it goes with the session anyway.
    }
  }
}
