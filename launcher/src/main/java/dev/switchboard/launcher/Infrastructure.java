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
import java.util.function.Function;
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

  private final Map<String, String> settings = new LinkedHashMap<>();
  private final Map<String, String> descriptions = new LinkedHashMap<>();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  private Infrastructure() {}

  public static Infrastructure start(Path dataDir, Env env) {
    Infrastructure infrastructure = new Infrastructure();
    try {
      infrastructure.zooKeeper(dataDir, env);
      infrastructure.redis(dataDir, env);
      infrastructure.mariaDb(dataDir, env);
      infrastructure.kafka(dataDir, env);
    } catch (RuntimeException e) {
      infrastructure.close();
      throw e;
    }
    return infrastructure;
  }

  private void zooKeeper(Path dataDir, Env env) {
    if (useExternal(env, "IM_ZK_CONNECT", "ZooKeeper", value -> value.split(",")[0])) {
      return;
    }
    EmbeddedZooKeeper zk = started(EmbeddedZooKeeper.start(dataDir.resolve("zookeeper"), 0));
    use("IM_ZK_CONNECT", zk.connectString(), "ZooKeeper", "embedded");
  }

  private void redis(Path dataDir, Env env) {
    if (useExternal(env, "IM_REDIS_URL", "Redis", value -> hostPort(URI.create(value), 6379))) {
      return;
    }
    EmbeddedRedis redis = started(EmbeddedRedis.start(dataDir.resolve("redis"), 0));
    use("IM_REDIS_URL", redis.url(), "Redis", "embedded");
  }

  private void mariaDb(Path dataDir, Env env) {
    if (useExternal(
        env,
        "IM_MYSQL_URL",
        "MySQL",
        value -> hostPort(URI.create(value.replaceFirst("^jdbc:", "")), 3306))) {
      settings.put("IM_MYSQL_USER", env.get("IM_MYSQL_USER", "root"));
      settings.put("IM_MYSQL_PASSWORD", env.get("IM_MYSQL_PASSWORD", ""));
      return;
    }
    EmbeddedMariaDb mariaDb = started(EmbeddedMariaDb.start(dataDir.resolve("mariadb"), 0));
    use("IM_MYSQL_URL", mariaDb.jdbcUrl(DATABASE), "MySQL", "embedded MariaDB");
    settings.put("IM_MYSQL_USER", mariaDb.user());
    settings.put("IM_MYSQL_PASSWORD", mariaDb.password());
  }

  private void kafka(Path dataDir, Env env) {
    if (useExternal(env, "IM_KAFKA_BOOTSTRAP", "Kafka", value -> value.split(",")[0])) {
      return;
    }
    EmbeddedKafka kafka = started(EmbeddedKafka.start(dataDir.resolve("kafka"), 0));
    use("IM_KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "Kafka", "embedded KRaft");
  }

  /** Uses the server the setting names, after checking that something listens there. */
  private boolean useExternal(
      Env env, String setting, String name, Function<String, String> firstHostPort) {
    String external = env.get(setting).orElse(null);
    if (external == null) {
      return false;
    }
    requireReachable(setting, firstHostPort.apply(external));
    use(setting, external, name, "external");
    return true;
  }

  private void use(String setting, String value, String name, String kind) {
    settings.put(setting, value);
    descriptions.put(name, value + " (" + kind + ")");
  }

  private <T extends AutoCloseable> T started(T server) {
    started.push(server);
    return server;
  }

  private static String hostPort(URI uri, int defaultPort) {
    return uri.getHost() + ":" + (uri.getPort() < 0 ? defaultPort : uri.getPort());
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
    return Map.copyOf(settings);
  }

  /** For the start-up banner: server name to address and whether it is embedded. */
  public Map<String, String> descriptions() {
    return java.util.Collections.unmodifiableMap(descriptions);
  }

  @Override
  public void close() {
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
