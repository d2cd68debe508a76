package dev.switchboard.launcher;

import dev.switchboard.common.config.Env;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis, MySQL, Kafka and ZooKeeper for a local cluster: the servers named by {@code IM_REDIS_URL},
 * {@code IM_MYSQL_URL}, {@code IM_KAFKA_BOOTSTRAP} and {@code IM_ZK_CONNECT} when those are set
 * (checked to be reachable), and otherwise real servers started from Maven artifacts with their
 * data under {@code dataDir}.
 */
public final class Infrastructure implements AutoCloseable {
  static final String DATABASE = "switchboard";
  private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);
  private static final int REACHABLE_TIMEOUT_MS = 3_000;

  private final Map<String, String> settings;
  private final Map<String, String> descriptions;
  private final Deque<AutoCloseable> started;

  private Infrastructure(
      Map<String, String> settings,
      Map<String, String> descriptions,
      Deque<AutoCloseable> started) {
    this.settings = Map.copyOf(settings);
    this.descriptions = descriptions;
    this.started = started;
  }

  public static Infrastructure start(Path dataDir, Env env) {
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> descriptions = new LinkedHashMap<>();
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      startZooKeeper(dataDir, env, settings, descriptions, started);
      startRedis(dataDir, env, settings, descriptions, started);
      startMariaDb(dataDir, env, settings, descriptions, started);
      startKafka(dataDir, env, settings, descriptions, started);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
    return new Infrastructure(settings, descriptions, started);
  }

  private static void startZooKeeper(
      Path dataDir,
      Env env,
      Map<String, String> settings,
      Map<String, String> descriptions,
      Deque<AutoCloseable> started) {
    String external = env.get("IM_ZK_CONNECT").orElse(null);
    if (external != null) {
      requireReachable("IM_ZK_CONNECT", external.split(",")[0]);
      settings.put("IM_ZK_CONNECT", external);
      descriptions.put("ZooKeeper", external + " (external)");
      return;
    }
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dataDir.resolve("zookeeper"), 0);
    started.push(zk);
    settings.put("IM_ZK_CONNECT", zk.connectString());
    descriptions.put("ZooKeeper", zk.connectString() + " (embedded)");
  }

  private static void startRedis(
      Path dataDir,
      Env env,
      Map<String, String> settings,
      Map<String, String> descriptions,
      Deque<AutoCloseable> started) {
    String external = env.get("IM_REDIS_URL").orElse(null);
    if (external != null) {
      URI uri = URI.create(external);
      requireReachable(
          "IM_REDIS_URL", uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort()));
      settings.put("IM_REDIS_URL", external);
      descriptions.put("Redis", external + " (external)");
      return;
    }
    EmbeddedRedis redis = EmbeddedRedis.start(dataDir.resolve("redis"), 0);
    started.push(redis);
    settings.put("IM_REDIS_URL", redis.url());
    descriptions.put("Redis", redis.url() + " (embedded)");
  }

  private static void startMariaDb(
      Path dataDir,
      Env env,
      Map<String, String> settings,
      Map<String, String> descriptions,
      Deque<AutoCloseable> started) {
    String external = env.get("IM_MYSQL_URL").orElse(null);
    if (external != null) {
      URI uri = URI.create(external.substring("jdbc:".length()));
      requireReachable(
          "IM_MYSQL_URL", uri.getHost() + ":" + (uri.getPort() < 0 ? 3306 : uri.getPort()));
      settings.put("IM_MYSQL_URL", external);
      settings.put("IM_MYSQL_USER", env.get("IM_MYSQL_USER", "root"));
      settings.put("IM_MYSQL_PASSWORD", env.get("IM_MYSQL_PASSWORD", ""));
      descriptions.put("MySQL", external + " (external)");
      return;
    }
    EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start(dataDir.resolve("mariadb"), 0);
    started.push(mariaDb);
    String url = mariaDb.jdbcUrl(DATABASE);
    settings.put("IM_MYSQL_URL", url);
    settings.put("IM_MYSQL_USER", mariaDb.user());
    settings.put("IM_MYSQL_PASSWORD", mariaDb.password());
    descriptions.put("MySQL", url + " (embedded MariaDB)");
  }

  private static void startKafka(
      Path dataDir,
      Env env,
      Map<String, String> settings,
      Map<String, String> descriptions,
      Deque<AutoCloseable> started) {
    String external = env.get("IM_KAFKA_BOOTSTRAP").orElse(null);
    if (external != null) {
      requireReachable("IM_KAFKA_BOOTSTRAP", external.split(",")[0]);
      settings.put("IM_KAFKA_BOOTSTRAP", external);
      descriptions.put("Kafka", external + " (external)");
      return;
    }
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
    started.push(kafka);
    settings.put("IM_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    descriptions.put("Kafka", kafka.bootstrapServers() + " (embedded KRaft)");
  }

  /** Fails with the setting's name when nothing listens at {@code host:port}. */
  static void requireReachable(String setting, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalStateException(setting + "=" + hostPort + " is not host:port");
    }
    String host = hostPort.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalStateException(setting + "=" + hostPort + " has no valid port");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), REACHABLE_TIMEOUT_MS);
    } catch (IOException e) {
      throw new IllegalStateException(
          setting + " names " + hostPort + " but it is unreachable: " + e.getMessage(), e);
    }
  }

  /** The IM_* settings that point the services at these servers. */
  public Map<String, String> settings() {
    return settings;
  }

  /** For the start-up banner: server name to address and whether it is embedded. */
  public Map<String, String> descriptions() {
    return descriptions;
  }

  @Override
  public void close() {
    closeAll(started);
  }

  private static void closeAll(Deque<AutoCloseable> started) {
    while (!started.isEmpty()) {
      AutoCloseable server = started.pop();
      try {
        server.close();
      } catch (Exception e) {
        log.warn("stopping {} failed: {}", server.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
