package dev.switchboard.common.discovery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Builds Curator clients that fail loudly when ZooKeeper cannot be reached. */
public final class ZooKeeperClients {
  private static final int SESSION_TIMEOUT_MS = 15_000;

  private ZooKeeperClients() {}

  /**
   * A started client, connected within {@code connectTimeout}, or an {@link IllegalStateException}
   * that names the address: a service should not come up half-registered.
   */
  public static CuratorFramework connect(String connectString, Duration connectTimeout) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(SESSION_TIMEOUT_MS)
            .connectionTimeoutMs((int) Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE))
            .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000))
            .build();
    client.start();
    boolean connected;
    try {
      connected =
          client.blockUntilConnected((int) connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connected = false;
    }
    if (!connected) {
      client.close();
      throw new IllegalStateException(
          "cannot reach ZooKeeper at " + connectString + " within " + connectTimeout);
    }
    return client;
  }
}
