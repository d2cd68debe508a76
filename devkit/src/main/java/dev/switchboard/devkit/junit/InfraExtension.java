package dev.switchboard.devkit.junit;

import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects real infrastructure servers into tests: declare a parameter of type {@link
 * EmbeddedRedis}, {@link EmbeddedMariaDb}, {@link EmbeddedKafka} or {@link EmbeddedZooKeeper} in a
 * constructor, a lifecycle method or a test method of a class annotated with
 * {@code @ExtendWith(InfraExtension.class)}.
 *
 * <pre>{@code
 * @ExtendWith(InfraExtension.class)
 * class PresenceStoreIT {
 *   @Test
 *   void onlineUser_isFound(EmbeddedRedis redis) { ... redis.url() ... }
 * }
 * }</pre>
 *
 * <p>Each kind of server is started lazily, once per test JVM, on a free port with its data in a
 * fresh temporary directory. All test classes of the JVM share it, so tests isolate their data
 * themselves (unique keys, topics, database names). The servers live in the root extension
 * context's store and are closed, and their directories deleted, when the root context closes at
 * the end of the JVM's tests. The store computes each value once even under parallel execution.
 */
public final class InfraExtension implements ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(InfraExtension.class);

  private static final Map<Class<?>, BiFunction<Path, Integer, AutoCloseable>> STARTERS =
      Map.of(
          EmbeddedRedis.class, EmbeddedRedis::start,
          EmbeddedMariaDb.class, EmbeddedMariaDb::start,
          EmbeddedKafka.class, EmbeddedKafka::start,
          EmbeddedZooKeeper.class, EmbeddedZooKeeper::start);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return STARTERS.containsKey(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    try {
      return context
          .getRoot()
          .getStore(NAMESPACE)
          .computeIfAbsent(type, InfraExtension::start, RunningServer.class)
          .server();
    } catch (RuntimeException e) {
      throw new ParameterResolutionException(
          "cannot start " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static RunningServer start(Class<?> type) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("switchboard-" + type.getSimpleName() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for " + type, e);
    }
    try {
      return new RunningServer(STARTERS.get(type).apply(dataDir, 0), dataDir);
    } catch (RuntimeException e) {
      RunningServer.deleteQuietly(dataDir);
      throw e;
    }
  }

  /**
   * A started server and its temporary data directory; JUnit closes it with the root store,
   * stopping the server first and then deleting the directory.
   */
  private record RunningServer(AutoCloseable server, Path dataDir) implements AutoCloseable {

    @Override
    public void close() throws Exception {
      try {
        server.close();
      } finally {
        deleteQuietly(dataDir);
      }
    }

    static void deleteQuietly(Path dir) {
      try (var paths = Files.walk(dir)) {
        paths
            .sorted((a, b) -> b.getNameCount() - a.getNameCount())
            .forEach(path -> path.toFile().delete());
      } catch (IOException | UncheckedIOException e) {
        // Best effort: it is a temporary directory.
      }
    }
  }
}
