package dev.switchboard.devkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.server.ContainerManager;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.RequestProcessor;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZKDatabase;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real standalone ZooKeeper server running in this JVM on 127.0.0.1.
 *
 * <p>Wired like {@code ZooKeeperServerMain.runFromConfig} (transaction log + snapshots under {@code
 * dataDir}, NIO connection factory, container manager for Curator's container znodes) but without
 * the Jetty admin server, so nothing binds port 8080 and no global system property has to be set.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
  // Shorter than the production 2000 ms so close() can wait for the session tracker, which only
  // notices shutdown at its next tick; session timeouts keep the production range below.
  private static final int TICK_TIME_MS = 500;
  private static final int MIN_SESSION_TIMEOUT_MS = 2 * TICK_TIME_MS;
  private static final int MAX_SESSION_TIMEOUT_MS = 40_000;
  // Unlimited connections per client IP: every service and test connects from 127.0.0.1.
  private static final int MAX_CLIENT_CONNECTIONS = 0;

  private final int port;
  private final Path dataDir;
  private final FileTxnSnapLog txnLog;
  private final Server server;
  private final ServerCnxnFactory connections;
  private final ContainerManager containers;
  private boolean closed;

  private EmbeddedZooKeeper(
      int port,
      Path dataDir,
      FileTxnSnapLog txnLog,
      Server server,
      ServerCnxnFactory connections,
      ContainerManager containers) {
    this.port = port;
    this.dataDir = dataDir;
    this.txnLog = txnLog;
    this.server = server;
    this.connections = connections;
    this.containers = containers;
  }

  /**
   * Starts ZooKeeper on {@code port} (0 = a free port) with its snapshots and transaction log under
   * {@code dataDir}; returns when it accepts connections.
   *
   * @throws IllegalStateException when the port is taken or the server does not come up
   */
  public static EmbeddedZooKeeper start(Path dataDir, int port) {
    long startedAt = System.nanoTime();
    Path dir = Directories.create(dataDir, "ZooKeeper");
    int chosen = LocalPorts.resolve(port, "ZooKeeper");
    LocalPorts.requireFree(chosen, "ZooKeeper");
    FileTxnSnapLog txnLog = null;
    ServerCnxnFactory connections = null;
    try {
      txnLog = new FileTxnSnapLog(dir.resolve("log").toFile(), dir.resolve("snapshot").toFile());
      Server server = new Server(txnLog);
      connections = new NIOServerCnxnFactory();
      connections.configure(
          new InetSocketAddress(LocalPorts.HOST, chosen), MAX_CLIENT_CONNECTIONS, -1, false);
      connections.startup(server);
      ContainerManager containers =
          new ContainerManager(
              server.getZKDatabase(),
              server.firstProcessor(),
              (int) TimeUnit.MINUTES.toMillis(1),
              10_000,
              0L);
      containers.start();
      log.info(
          "ZooKeeper started on {}:{} (data {}) in {} ms",
          LocalPorts.HOST,
          chosen,
          dir,
          (System.nanoTime() - startedAt) / 1_000_000);
      return new EmbeddedZooKeeper(chosen, dir, txnLog, server, connections, containers);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (connections != null) {
        connections.shutdown();
      }
      closeQuietly(txnLog);
      throw new IllegalStateException(
          "ZooKeeper failed to start on port "
              + chosen
              + ": "
              + e.getMessage()
              + "; data in "
              + dir,
          e);
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  public String connectString() {
    return LocalPorts.HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Closes all sessions and stops the server threads; the data stays on disk. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    containers.stop();
    connections.shutdown(); // also shuts the server down, after closing the sessions
    server.shutdown(true);
    awaitSessionTrackerExit();
    closeQuietly(txnLog);
    log.info("ZooKeeper on port {} stopped", port);
  }

  /** The session tracker thread only sees the shutdown flag at its next tick; wait for that. */
  private void awaitSessionTrackerExit() {
    if (server.getSessionTracker() instanceof Thread tracker) {
      try {
        tracker.join(4L * TICK_TIME_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (tracker.isAlive()) {
        log.warn("ZooKeeper session tracker on port {} did not stop in time", port);
      }
    }
  }

  /** Exposes the first request processor, which the container manager submits deletions to. */
  private static final class Server extends ZooKeeperServer {
    Server(FileTxnSnapLog txnLog) {
      // No dynamic reconfiguration on a single node.
      super(
          txnLog,
          TICK_TIME_MS,
          MIN_SESSION_TIMEOUT_MS,
          MAX_SESSION_TIMEOUT_MS,
          -1,
          new ZKDatabase(txnLog),
          "",
          false);
    }

    RequestProcessor firstProcessor() {
      return firstProcessor;
    }
  }

  private static void closeQuietly(FileTxnSnapLog txnLog) {
    if (txnLog == null) {
      return;
    }
    try {
      txnLog.close();
    } catch (IOException e) {
      log.warn("cannot close the ZooKeeper transaction log", e);
    }
  }
}
