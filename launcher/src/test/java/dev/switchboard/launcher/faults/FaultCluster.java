package dev.switchboard.launcher.faults;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.config.Env;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.launcher.ClusterSettings;
import dev.switchboard.launcher.FaultHooks;
import dev.switchboard.launcher.Infrastructure;
import dev.switchboard.launcher.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole cluster of its own for ONE fault test class (fault tests kill things, so they never share
 * the system tests' cluster): real ZooKeeper, Redis and MariaDB from the launcher's {@link
 * Infrastructure}, a Kafka broker started here so that the test holds its {@link EmbeddedKafka}
 * handle (stop / start again), and two connectors, two transfers, user-status, offline-store and
 * account-api built by {@link LocalCluster} exactly as {@code ./im up} builds them.
 */
final class FaultCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FaultCluster.class);

  private final EmbeddedKafka kafka;
  private final Infrastructure infrastructure;
  private final LocalCluster cluster;

  private FaultCluster(EmbeddedKafka kafka, Infrastructure infrastructure, LocalCluster cluster) {
    this.kafka = kafka;
    this.infrastructure = infrastructure;
    this.cluster = cluster;
  }

  /**
   * @param name names the data directory
   * @param overrides IM_* settings for every service on top of the fault-test defaults
   */
  static FaultCluster start(String name, Map<String, String> overrides) throws Exception {
    return start(name, overrides, FaultHooks.NONE);
  }

  /**
   * @param hooks fault-injection hooks for the services, e.g. a {@link KillSwitch}
   */
  static FaultCluster start(String name, Map<String, String> overrides, FaultHooks hooks)
      throws Exception {
    long startedAt = System.nanoTime();
    Path dataDir = Files.createTempDirectory("switchboard-faults-" + name + "-");
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
    Infrastructure infrastructure = null;
    try {
      // Kafka is ours: the Infrastructure uses it as an external server and starts the rest.
      infrastructure =
          Infrastructure.start(
              dataDir, Env.of(Map.of("IM_KAFKA_BOOTSTRAP", kafka.bootstrapServers())));
      Map<String, String> settings = new HashMap<>();
      settings.put("IM_KAFKA_PARTITIONS", "3");
      // Friendship is not what these tests are about; 100 befriendings would only cost time.
      settings.put("IM_MESSAGE_POLICY", "open");
      settings.putAll(overrides);
      LocalCluster cluster =
          new LocalCluster(
                  new ClusterSettings(
                      "127.0.0.1",
                      0,
                      List.of(0, 0),
                      2,
                      TokenService.encodeSecret(TokenService.randomSecret()),
                      settings),
                  infrastructure.settings(),
                  hooks)
              .start();
      log.info(
          "fault cluster {} up in {} ms (data {})",
          name,
          (System.nanoTime() - startedAt) / 1_000_000,
          dataDir);
      return new FaultCluster(kafka, infrastructure, cluster);
    } catch (Exception | Error e) {
      if (infrastructure != null) {
        infrastructure.close();
      }
      kafka.close();
      throw e;
    }
  }

  LocalCluster cluster() {
    return cluster;
  }

  String apiUrl() {
    return cluster.accountApiUrl();
  }

  EmbeddedKafka kafka() {
    return kafka;
  }

  String setting(String name) {
    return infrastructure.settings().get(name);
  }

  /** One number from the shared MySQL database, e.g. a count. */
  long queryLong(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                setting("IM_MYSQL_URL"), setting("IM_MYSQL_USER"), setting("IM_MYSQL_PASSWORD"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /**
   * A counter or gauge from a service's Prometheus endpoint, summed over its labels; 0 if absent.
   */
  static double metric(int metricsPort, String name) throws IOException, InterruptedException {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Override
  public void close() {
    cluster.close();
    infrastructure.close();
    kafka.close();
  }
}
