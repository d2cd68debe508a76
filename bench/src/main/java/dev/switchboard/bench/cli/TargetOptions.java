package dev.switchboard.bench.cli;

import dev.switchboard.bench.target.InProcessSystem;
import dev.switchboard.bench.target.KafkaProbe;
import dev.switchboard.bench.target.LocalProcesses;
import dev.switchboard.bench.target.Target;
import dev.switchboard.common.auth.TokenService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Which deployment to measure, and what the benchmark may know about it. */
public final class TargetOptions {
  private static final Logger log = LoggerFactory.getLogger(TargetOptions.class);
  static final String DEV_SECRET_FILE = "dev-jwt-secret";

  @Option(
      names = "--api",
      description = "account-api URL of the system to measure (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:IM_API_URL:-http://127.0.0.1:8080}")
  URI api;

  @Option(
      names = "--in-process",
      description =
          "Start the whole system (embedded infrastructure, two connectors) inside this JVM on"
              + " free ports instead of using --api.")
  boolean inProcess;

  @Option(
      names = "--jwt-secret",
      description =
          "The deployment's token signing secret (IM_JWT_SECRET; base64: prefix for binary), to"
              + " mint tokens for the connection scenarios. Default: IM_JWT_SECRET, or ./im up's dev"
              + " secret in --data-dir when --api is local.",
      defaultValue = "${env:IM_JWT_SECRET}")
  String jwtSecret;

  @Option(
      names = "--data-dir",
      description =
          "./im up's data directory, where its dev secret is (default: ${DEFAULT-VALUE}).",
      defaultValue = ".data")
  Path dataDir;

  @Option(
      names = "--kafka-bootstrap",
      description =
          "Kafka of the system, for offline-store's consumer lag. Default: IM_KAFKA_BOOTSTRAP, or"
              + " found among the ports of a local ./im up.",
      defaultValue = "${env:IM_KAFKA_BOOTSTRAP}")
  String kafkaBootstrap;

  @Option(
      names = "--kafka-topic",
      description = "The message log (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:IM_KAFKA_TOPIC:-im.messages}")
  String kafkaTopic;

  @Option(
      names = "--kafka-group",
      description = "offline-store's consumer group (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:IM_KAFKA_GROUP:-offline-store}")
  String kafkaGroup;

  @Option(
      names = "--setup-concurrency",
      description =
          "Registrations and password logins in flight while setting up (each costs an Argon2id"
              + " hash; default: ${DEFAULT-VALUE}).",
      defaultValue = "4")
  int setupConcurrency;

  /** The target, and the in-process system behind it if one was started. */
  public record Resolved(Target target, InProcessSystem system) implements AutoCloseable {
    @Override
    public void close() {
      if (system != null) {
        system.close();
      }
    }
  }

  public Resolved resolve() throws Exception {
    if (setupConcurrency < 1) {
      throw new IllegalArgumentException("--setup-concurrency must be >= 1");
    }
    if (inProcess) {
      log.info("starting the system in this JVM...");
      InProcessSystem system = InProcessSystem.start(2, Map.of());
      return new Resolved(system.target(), system);
    }
    if (api.getHost() == null || api.getPort() == 0) {
      throw new IllegalArgumentException("--api " + api + " is not an http://host:port URL");
    }
    int port = api.getPort() < 0 ? 80 : api.getPort();
    requireReachable(api.getHost(), port);
    boolean local = LocalProcesses.isLoopback(api.getHost());
    OptionalLong pid = local ? LocalProcesses.pidListeningOn(port) : OptionalLong.empty();
    Optional<byte[]> secret = Optional.ofNullable(jwtSecret).map(TokenService::decodeSecret);
    if (secret.isEmpty() && local) {
      Path file = dataDir.resolve(DEV_SECRET_FILE);
      if (Files.isReadable(file)) {
        secret =
            Optional.of(
                TokenService.decodeSecret(Files.readString(file, StandardCharsets.UTF_8).trim()));
        log.info("using ./im up's dev signing secret from {}", file);
      }
    }
    Optional<String> kafka = Optional.ofNullable(kafkaBootstrap);
    if (kafka.isEmpty() && pid.isPresent()) {
      kafka = KafkaProbe.findBroker(LocalProcesses.listeningPorts(pid.getAsLong()));
      kafka.ifPresent(k -> log.info("found the system's Kafka at {}", k));
    }
    return new Resolved(
        new Target(api, secret, kafka, kafkaTopic, kafkaGroup, pid, "external"), null);
  }

  int setupConcurrency() {
    return setupConcurrency;
  }

  private static void requireReachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 3000);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "account-api at "
              + host
              + ":"
              + port
              + " is unreachable ("
              + e.getMessage()
              + "): start the system with ./im up, pass --api, or use --in-process");
    }
  }
}
