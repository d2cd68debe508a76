package dev.switchboard.launcher;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.config.Env;
import dev.switchboard.common.net.Ports;
import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.transfer.TransferServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code im up}: the whole system in the foreground until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole system in the foreground: user-status, transfer, offline-store, account-api,",
      "connectors, on embedded Redis, MariaDB, Kafka and ZooKeeper unless IM_REDIS_URL, IM_MYSQL_URL,",
      "IM_KAFKA_BOOTSTRAP or IM_ZK_CONNECT name servers to use. Ctrl-C stops everything."
    })
final class UpCommand implements Callable<Integer> {
  private static final String SECRET_FILE = "dev-jwt-secret";

  @Option(
      names = "--data-dir",
      description = "Where embedded servers keep their data (default: ${DEFAULT-VALUE}).",
      defaultValue = ".data")
  Path dataDir;

  @Option(names = "--fresh", description = "Delete the data directory first.")
  boolean fresh;

  @Option(
      names = "--http-port",
      description = "account-api port (default: IM_HTTP_PORT or 8080).",
      defaultValue = "${env:IM_HTTP_PORT:-8080}")
  int httpPort;

  @Option(
      names = "--connector-ports",
      split = ",",
      description = "Client TCP port of each connector (default: ${DEFAULT-VALUE}).",
      defaultValue = "7001,7002")
  List<Integer> connectorPorts;

  @Option(
      names = "--transfers",
      description = "Number of transfer instances (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int transfers;

  private final PrintStream out;

  UpCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    long startedAt = System.nanoTime();
    Env env = Env.system();
    String host = "127.0.0.1";
    Ports.requireFree(host, httpPort, "account-api HTTP, set IM_HTTP_PORT or --http-port");
    for (int port : connectorPorts) {
      Ports.requireFree(host, port, "connector, set --connector-ports");
    }
    if (fresh) {
      deleteRecursively(dataDir);
    }
    Files.createDirectories(dataDir);
    String secret = env.get("IM_JWT_SECRET").orElse(null);
    if (secret == null) {
      secret = devSecret(dataDir); // only made when no secret is configured
    }

    Infrastructure infrastructure = Infrastructure.start(dataDir.toAbsolutePath(), env);
    LocalCluster cluster;
    try {
      cluster =
          new LocalCluster(
                  new ClusterSettings(
                      host, httpPort, connectorPorts, transfers, secret, overrides(env)),
                  infrastructure.settings())
              .start();
    } catch (Exception e) {
      infrastructure.close();
      throw e;
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping Switchboard...");
                  cluster.close();
                  infrastructure.close();
                  out.println("Stopped.");
                  stopped.countDown();
                },
                "im-shutdown"));
    printBanner(cluster, infrastructure, (System.nanoTime() - startedAt) / 1_000_000);
    stopped.await();
    return 0;
  }

  /** Settings the user exported that every service should see (e.g. IM_KAFKA_PARTITIONS). */
  private static Map<String, String> overrides(Env env) {
    Map<String, String> overrides = new java.util.HashMap<>();
    env.asMap()
        .forEach(
            (key, value) -> {
              if (key.startsWith("IM_")
                  && !key.equals("IM_HTTP_PORT")
                  && !key.equals("IM_CONNECTOR_PORT")
                  && !key.equals("IM_INSTANCE_ID")
                  && !key.equals("IM_CONNECTOR_ID")) {
                overrides.put(key, value);
              }
            });
    return overrides;
  }

  /**
   * A per-installation signing secret for development: made on first start and kept in the data
   * directory (never in the repository), so tokens survive a restart of {@code ./im up}.
   */
  private static String devSecret(Path dataDir) throws IOException {
    Path file = dataDir.resolve(SECRET_FILE);
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String secret = TokenService.encodeSecret(TokenService.randomSecret());
    Files.writeString(file, secret, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system; the file is still inside the user's own data directory.
    }
    return secret;
  }

  private void printBanner(LocalCluster cluster, Infrastructure infrastructure, long tookMs) {
    out.printf("%nSwitchboard is up (%.1f s)%n", tookMs / 1000.0);
    out.printf(
        "  account-api  %s   (OpenAPI UI: %s/swagger-ui.html)%n",
        cluster.accountApiUrl(), cluster.accountApiUrl());
    for (ConnectorServer connector : cluster.connectors()) {
      out.printf("  connector    %s  127.0.0.1:%d%n", connector.id(), connector.clientPort());
    }
    for (TransferServer transfer : cluster.transfers()) {
      out.printf("  transfer     127.0.0.1:%d (gRPC)%n", transfer.port());
    }
    out.printf("  user-status  127.0.0.1:%d (gRPC)%n", cluster.userStatus().port());
    out.printf(
        "  offline-store 127.0.0.1:%d (gRPC; consumes Kafka into MySQL)%n",
        cluster.offlineStore().port());
    infrastructure
        .descriptions()
        .forEach((name, where) -> out.printf("  %-11s  %s%n", name, where));
    out.printf("  data         %s   (./im up --fresh wipes it)%n", dataDir.toAbsolutePath());
    out.printf("%nTry it: run ./im cli in two terminals. Ctrl-C here stops everything.%n");
    out.flush();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
