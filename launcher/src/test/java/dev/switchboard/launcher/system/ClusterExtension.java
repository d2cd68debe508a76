package dev.switchboard.launcher.system;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.config.Env;
import dev.switchboard.launcher.ClusterSettings;
import dev.switchboard.launcher.Infrastructure;
import dev.switchboard.launcher.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One whole cluster per test JVM, shared by the system test classes: real Redis, MariaDB, Kafka and
 * ZooKeeper started by the launcher's own {@link Infrastructure} on free ports, and two connectors,
 * two transfers, user-status and account-api built by {@link LocalCluster}, exactly as {@code ./im
 * up} builds them.
 */
public final class ClusterExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(TestCluster.class, key -> TestCluster.start(), TestCluster.class);
  }

  /** The running cluster and what tests need to know about it. */
  public static final class TestCluster implements AutoCloseable {
    private final Infrastructure infrastructure;
    private final LocalCluster cluster;
    private final byte[] jwtSecret;

    private TestCluster(Infrastructure infrastructure, LocalCluster cluster, byte[] jwtSecret) {
      this.infrastructure = infrastructure;
      this.cluster = cluster;
      this.jwtSecret = jwtSecret;
    }

    static TestCluster start() {
      try {
        Path dataDir = Files.createTempDirectory("switchboard-system-");
        Infrastructure infrastructure = Infrastructure.start(dataDir, Env.of(Map.of()));
        byte[] secret = TokenService.randomSecret();
        try {
          LocalCluster cluster =
              new LocalCluster(
                      new ClusterSettings(
                          "127.0.0.1",
                          0,
                          List.of(0, 0),
                          2,
                          TokenService.encodeSecret(secret),
                          Map.of("IM_LOGIN_TIMEOUT", "2s", "IM_KAFKA_PARTITIONS", "3")),
                      infrastructure.settings())
                  .start();
          return new TestCluster(infrastructure, cluster, secret);
        } catch (Exception e) {
          infrastructure.close();
          throw e;
        }
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the test cluster", e);
      }
    }

    public LocalCluster cluster() {
      return cluster;
    }

    public String apiUrl() {
      return cluster.accountApiUrl();
    }

    /** The signing secret shared by account-api and the connectors, to forge test tokens. */
    public byte[] jwtSecret() {
      return jwtSecret.clone();
    }

    @Override
    public void close() {
      cluster.close();
      infrastructure.close();
    }
  }
}
