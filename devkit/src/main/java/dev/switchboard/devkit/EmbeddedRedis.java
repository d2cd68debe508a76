package dev.switchboard.devkit;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (the 6.2 binary shipped in {@code com.github.codemonstur:
 * embedded-redis}) running as a child process on 127.0.0.1.
 *
 * <p>Data is kept under {@code dataDir} with the append-only file ({@code appendonly yes}), so a
 * restart on the same directory sees the previous keys. RDB snapshots are off: the AOF alone is
 * enough and snapshots would fork the server in the middle of tests.
 */
public final class EmbeddedRedis implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

  private final RedisServer server;
  private final int port;
  private final Path dataDir;
  private boolean closed;

  private EmbeddedRedis(RedisServer server, int port, Path dataDir) {
    this.server = server;
    this.port = port;
    this.dataDir = dataDir;
  }

  /**
   * Starts redis-server on {@code port} (0 = a free port) with its data under {@code dataDir};
   * returns when it accepts connections.
   *
   * @throws IllegalStateException when the port is taken or the server does not come up
   */
  public static EmbeddedRedis start(Path dataDir, int port) {
    long startedAt = System.nanoTime();
    Path dir = Directories.create(dataDir, "Redis");
    int chosen = LocalPorts.resolve(port, "Redis");
    LocalPorts.requireFree(chosen, "Redis");
    RedisServer server;
    try {
      server =
          RedisServer.newRedisServer()
              .bind(LocalPorts.HOST)
              .port(chosen)
              .setting("daemonize no")
              .setting("dir " + quote(dir.toString()))
              .setting("appendonly yes")
              .setting("appendfsync everysec")
              .setting("save \"\"")
              .soutListener(line -> log.debug("redis[{}] {}", chosen, line))
              .serrListener(line -> log.warn("redis[{}] {}", chosen, line))
              .build();
      server.start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "Redis failed to start on port " + chosen + ": " + e.getMessage() + "; data in " + dir,
          e);
    }
    log.info(
        "Redis started on {}:{} (data {}) in {} ms",
        LocalPorts.HOST,
        chosen,
        dir,
        (System.nanoTime() - startedAt) / 1_000_000);
    return new EmbeddedRedis(server, chosen, dir);
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String url() {
    return "redis://" + LocalPorts.HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the server process (SIGTERM, waits for it to exit); the AOF stays in the data dir. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.stop();
      log.info("Redis on port {} stopped", port);
    } catch (IOException e) {
      throw new IllegalStateException("Redis on port " + port + " did not stop cleanly", e);
    }
  }

  /** Redis config string quoting, so data directories with spaces work. */
  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
