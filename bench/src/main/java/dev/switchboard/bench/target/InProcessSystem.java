package dev.switchboard.bench.target;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.config.Env;
import dev.switchboard.launcher.ClusterSettings;
import dev.switchboard.launcher.Infrastructure;
import dev.switchboard.launcher.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The whole system inside the load generator's JVM, built exactly as {@code ./im up} builds it
 * (launcher's {@link Infrastructure} and {@link LocalCluster}, two connectors, embedded Redis,
 * MariaDB, Kafka and ZooKeeper), on free ports and a temporary data directory. For machines where
 * {@code ./im up}'s fixed ports are taken, and for the smoke test in {@code mvn verify}.
 */
public final class InProcessSystem implements AutoCloseable {
  private static final String TOPIC = "im.messages";
  private static final String GROUP = "offline-store";

  private final Path dataDir;
  private final Infrastructure infrastructure;
  private final LocalCluster cluster;
  private final byte[] secret;

  private InProcessSystem(
      Path dataDir, Infrastructure infrastructure, LocalCluster cluster, byte[] secret) {
    this.dataDir = dataDir;
    this.infrastructure = infrastructure;
    this.cluster = cluster;
    this.secret = secret;
  }

  /**
   * @param connectors how many connectors (on free ports)
   * @param overrides further IM_* settings for every service
   */
  public static InProcessSystem start(int connectors, Map<String, String> overrides)
      throws Exception {
    Path dataDir = Files.createTempDirectory("switchboard-bench-");
    Infrastructure infrastructure = Infrastructure.start(dataDir, Env.of(Map.of()));
    byte[] secret = TokenService.randomSecret();
    try {
      LocalCluster cluster =
          new LocalCluster(
                  new ClusterSettings(
                      "127.0.0.1",
                      0,
                      java.util.Collections.nCopies(connectors, 0),
                      1,
                      TokenService.encodeSecret(secret),
                      overrides),
                  infrastructure.settings())
              .start();
      return new InProcessSystem(dataDir, infrastructure, cluster, secret);
    } catch (Exception e) {
      infrastructure.close();
      throw e;
    }
  }

  public Target target() {
    return new Target(
        URI.create(cluster.accountApiUrl()),
        Optional.of(secret.clone()),
        Optional.ofNullable(infrastructure.settings().get("IM_KAFKA_BOOTSTRAP")),
        TOPIC,
        GROUP,
        OptionalLong.of(LocalProcesses.self()),
        "in-process");
  }

  public List<Integer> connectorPorts() {
    return cluster.connectors().stream().map(c -> c.clientPort()).toList();
  }

  @Override
  public void close() {
    cluster.close();
    infrastructure.close();
    try (Stream<Path> paths = Files.walk(dataDir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dataDir, e);
    }
  }
}
