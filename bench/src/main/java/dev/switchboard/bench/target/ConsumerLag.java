package dev.switchboard.bench.target;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * offline-store's consumer lag: for every partition of the message log, the end offset minus the
 * group's committed offset. offline-store commits only after the MySQL commit, so zero lag means
 * every message Kafka holds is in MySQL.
 */
public final class ConsumerLag implements AutoCloseable {
  private static final long CALL_TIMEOUT_MS = 5_000;

  private final Admin admin;
  private final String topic;
  private final String group;

  public ConsumerLag(String bootstrap, String topic, String group) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "switchboard-bench-lag");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT_MS);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT_MS);
    this.admin = Admin.create(p);
    this.topic = topic;
    this.group = group;
  }

  /** Records in the log that offline-store has not committed yet. */
  public long lag() {
    try {
      TopicDescription description =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      description
          .partitions()
          .forEach(
              p -> {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
              });
      var ends = admin.listOffsets(latest).all().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      var starts = admin.listOffsets(earliest).all().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      long lag = 0;
      for (var end : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(end.getKey());
        long from = c != null ? c.offset() : starts.get(end.getKey()).offset();
        lag += Math.max(0, end.getValue().offset() - from);
      }
      return lag;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the consumer lag", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the consumer lag of group " + group, e);
    }
  }

  /**
   * Polls the lag until it is zero or {@code timeout} passed.
   *
   * @return how long it took, or empty if the lag was still above zero at the timeout
   */
  public java.util.Optional<Duration> timeToZero(Duration timeout, Duration poll) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (true) {
      if (lag() == 0) {
        return java.util.Optional.of(Duration.ofNanos(System.nanoTime() - start));
      }
      if (System.nanoTime() > deadline) {
        return java.util.Optional.empty();
      }
      dev.switchboard.bench.util.Waits.parkUntil(System.nanoTime() + poll.toNanos());
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
