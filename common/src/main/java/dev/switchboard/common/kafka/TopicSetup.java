package dev.switchboard.common.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the message topic at startup if it does not exist yet (transfer and offline-store). */
public final class TopicSetup {
  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  /**
   * Makes sure {@code topic} exists; a new one gets {@code partitions} partitions and replication
   * min(3, brokers). With 3 replicas min.insync.replicas is 2, so acks=all survives one broker down
   * without accepting a write only one broker holds.
   *
   * @throws IllegalStateException naming the address if the cluster cannot be reached in time
   */
  public static void ensureTopic(
      String bootstrapServers, String topic, int partitions, Duration timeout) throws Exception {
    long timeoutMs = timeout.toMillis();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs))) {
      int brokers;
      Set<String> existing;
      try {
        brokers = admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
        existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
        throw new IllegalStateException(
            "cannot reach Kafka at " + bootstrapServers + " within " + timeout, e);
      }
      if (existing.contains(topic)) {
        log.info("Kafka topic {} exists", topic);
        return;
      }
      short replicas = (short) Math.max(1, Math.min(3, brokers));
      NewTopic newTopic =
          new NewTopic(topic, partitions, replicas)
              .configs(Map.of("min.insync.replicas", replicas >= 3 ? "2" : "1"));
      try {
        admin.createTopics(Set.of(newTopic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        log.info(
            "Kafka topic {} created ({} partitions, replication {})", topic, partitions, replicas);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        // Another service or instance created it at the same moment.
        log.info("Kafka topic {} exists", topic);
      }
    }
  }
}
