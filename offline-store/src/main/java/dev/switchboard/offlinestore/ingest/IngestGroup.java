package dev.switchboard.offlinestore.ingest;

import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.StoreProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This instance's consumers of the message log: one thread and one KafkaConsumer each. */
public final class IngestGroup implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestGroup.class);

  /** What the consumers of one instance are built from. */
  public record Settings(
      String bootstrapServers,
      String topic,
      String groupId,
      String clientIdPrefix,
      int consumers,
      int maxPollRecords,
      Duration pollTimeout,
      Duration retryBackoff,
      Duration retryBackoffMax) {}

  private final List<IngestWorker> workers = new ArrayList<>();

  public IngestGroup(
      Settings settings,
      DataSource dataSource,
      IngestHooks hooks,
      StoreProgress progress,
      OfflineMetrics metrics) {
    BatchWriter writer = new BatchWriter(dataSource);
    try {
      for (int i = 0; i < settings.consumers(); i++) {
        String name = settings.clientIdPrefix() + "-ingest-" + i;
        workers.add(
            new IngestWorker(
                name,
                new KafkaConsumer<>(consumerProperties(settings, name)),
                settings.topic(),
                writer,
                hooks,
                progress,
                metrics,
                settings.pollTimeout(),
                settings.retryBackoff(),
                settings.retryBackoffMax()));
      }
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  static final int FETCH_MIN_BYTES = 64 * 1024;
  static final int FETCH_MAX_WAIT_MS = 50;

  /**
   * The consumer settings that make storing safe: offsets are committed by hand after the MySQL
   * commit (never automatically), a new group starts at the beginning of the log (a store must see
   * every message), and only committed records of transactional producers are read.
   */
  static Map<String, Object> consumerProperties(Settings settings, String clientId) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    // Every poll is one MySQL transaction. With the default (answer as soon as one byte is there)
    // a busy system stored a record or two per transaction. Letting the broker gather up to 64 KiB
    // for at most 50 ms makes the transactions larger exactly when there is traffic, at that much
    // delay until a message is in MySQL (SENT and pushes do not wait for it). Not less: each empty
    // fetch costs the broker and the consumer about a millisecond of CPU, and at 5 ms an idle
    // system spent a fifth of a core on them (async-profiler), CPU a busy one lacks.
    props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    // The topic is created by transfer (or at our startup); never by a consumer's metadata request.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return props;
  }

  public void start() {
    workers.forEach(IngestWorker::start);
  }

  /** Consumers still consuming; fewer than configured means one stopped on a fatal error. */
  public int running() {
    return (int) workers.stream().filter(IngestWorker::running).count();
  }

  public int size() {
    return workers.size();
  }

  /** Stops every consumer: each commits what it stored and leaves the group. */
  public void close(Duration timeout) throws InterruptedException {
    for (IngestWorker worker : workers) {
      if (!worker.stop(timeout)) {
        log.warn("a consumer did not stop within {}", timeout);
      }
    }
  }

  /** For fault tests: every consumer dies at once, committing nothing more (see IngestWorker). */
  public void halt() {
    workers.forEach(IngestWorker::halt);
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(10));
  }

  private void closeQuietly() {
    try {
      close(Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
