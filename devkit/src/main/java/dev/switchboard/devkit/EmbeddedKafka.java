package dev.switchboard.devkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster in KRaft mode running in this JVM: one {@link KafkaRaftServer}
 * acting as broker and controller, exactly what {@code kafka-server-start.sh} runs for a combined
 * node. The client listener is on 127.0.0.1:{@link #port()}, the controller listener on another
 * free loopback port.
 *
 * <p>The log directory {@code dataDir/logs} is formatted (like {@code kafka-storage.sh format})
 * only when it holds no {@code meta.properties}, so the launcher keeps topics and offsets across
 * restarts. {@link #stop()} and {@link #startAgain()} take the broker down and bring it back on the
 * same ports with the same data, for fault tests.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final int port;
  private final int controllerPort;
  private final Path dataDir;
  private final KafkaConfig config;
  private KafkaRaftServer server; // null while stopped
  private boolean closed;

  private EmbeddedKafka(int port, int controllerPort, Path dataDir, KafkaConfig config) {
    this.port = port;
    this.controllerPort = controllerPort;
    this.dataDir = dataDir;
    this.config = config;
  }

  /**
   * Formats the log directory under {@code dataDir} if needed and starts the broker on {@code port}
   * (0 = a free port); returns when the broker is registered and serving.
   *
   * @throws IllegalStateException when a port is taken or the server does not come up
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    Path dir = Directories.create(dataDir, "Kafka");
    int chosen = LocalPorts.resolve(port, "Kafka");
    int controllerPort = LocalPorts.freePort();
    while (controllerPort == chosen) {
      controllerPort = LocalPorts.freePort();
    }
    LocalPorts.requireFree(chosen, "Kafka");
    Path logDir = Directories.create(dir.resolve("logs"), "Kafka log");
    KafkaConfig config;
    try {
      config = KafkaConfig.fromProps(properties(logDir, chosen, controllerPort), false);
      formatIfNeeded(config, logDir);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Kafka failed to start on port " + chosen + ": " + e.getMessage() + "; data in " + dir,
          e);
    }
    EmbeddedKafka kafka = new EmbeddedKafka(chosen, controllerPort, dir, config);
    kafka.startServer();
    return kafka;
  }

  /** {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return LocalPorts.HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Whether the broker is up (started and not {@link #stop() stopped}). */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Takes the broker (and its controller) down as a clean shutdown would; the data stays. Clients
   * see the broker as unreachable until {@link #startAgain()}. Does nothing when already stopped.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    long startedAt = System.nanoTime();
    KafkaRaftServer running = server;
    server = null;
    running.shutdown();
    running.awaitShutdown();
    log.info(
        "Kafka on port {} stopped in {} ms", port, (System.nanoTime() - startedAt) / 1_000_000);
  }

  /**
   * Starts the broker again after {@link #stop()}, on the same ports with the same data. Does
   * nothing when it is running.
   *
   * @throws IllegalStateException after {@link #close()}, or when the server does not come up
   */
  public synchronized void startAgain() {
    if (closed) {
      throw new IllegalStateException("Kafka on port " + port + " is closed");
    }
    if (server == null) {
      startServer();
    }
  }

  /** Stops the broker for good; the data stays on disk. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
  }

  private synchronized void startServer() {
    long startedAt = System.nanoTime();
    LocalPorts.requireFree(port, "Kafka");
    LocalPorts.requireFree(controllerPort, "the Kafka controller");
    KafkaRaftServer candidate = null;
    try {
      candidate = new KafkaRaftServer(config, Time.SYSTEM);
      candidate.startup();
    } catch (RuntimeException e) {
      if (candidate != null) {
        candidate.shutdown();
        candidate.awaitShutdown();
      }
      throw new IllegalStateException(
          "Kafka failed to start on port " + port + ": " + e.getMessage() + "; data in " + dataDir,
          e);
    }
    server = candidate;
    log.info(
        "Kafka (KRaft, broker+controller) started on {} (controller port {}, data {}) in {} ms",
        bootstrapServers(),
        controllerPort,
        dataDir,
        (System.nanoTime() - startedAt) / 1_000_000);
  }

  private static Properties properties(Path logDir, int port, int controllerPort) {
    Properties props = new Properties();
    props.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", Integer.toString(NODE_ID)),
            // A static voter set: the controller address is read from this config on every start,
            // not stored in the log, so the launcher may pick another controller port next time.
            Map.entry(
                "controller.quorum.voters", NODE_ID + "@" + LocalPorts.HOST + ":" + controllerPort),
            Map.entry(
                "listeners",
                "PLAINTEXT://"
                    + LocalPorts.HOST
                    + ":"
                    + port
                    + ","
                    + CONTROLLER_LISTENER
                    + "://"
                    + LocalPorts.HOST
                    + ":"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://" + LocalPorts.HOST + ":" + port),
            Map.entry(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
            Map.entry("controller.listener.names", CONTROLLER_LISTENER),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("log.dirs", logDir.toString()),
            // One node: every internal topic has one replica and needs one in sync.
            Map.entry("num.partitions", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            // Fewer internal partitions than the production 50: the first consumer group and the
            // first idempotent producer are ready in a fraction of the time.
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // Services create their topics explicitly with the partition count they need.
            Map.entry("auto.create.topics.enable", "false"),
            // Sized for a 2-core machine running the whole system; defaults assume a dedicated
            // host.
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "4"),
            Map.entry("num.recovery.threads.per.data.dir", "1"),
            Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024))));
    return props;
  }

  /** {@code kafka-storage.sh format}, unless the directory was formatted before. */
  private static void formatIfNeeded(KafkaConfig config, Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(out)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(config.metadataLogDir())
          .addDirectory(logDir.toString())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka log directory " + logDir, e);
    }
    log.debug("Formatted {}: {}", logDir, output.toString(StandardCharsets.UTF_8).trim());
  }
}
