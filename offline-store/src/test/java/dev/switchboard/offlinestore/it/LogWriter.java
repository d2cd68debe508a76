package dev.switchboard.offlinestore.it;

import static org.awaitility.Awaitility.await;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.MessageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the message log exactly as transfer does (key = conversation id, value = MessageEvent,
 * acks=all, idempotent), plus what tests need to look at the topic and the group's offsets.
 */
public final class LogWriter implements AutoCloseable {
  private final String bootstrap;
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;

  public LogWriter(String bootstrap, String topic, int partitions) throws Exception {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    admin
        .createTopics(Set.of(new NewTopic(topic, partitions, (short) 1)))
        .all()
        .get(15, TimeUnit.SECONDS);
    // A fresh topic's partitions take a moment to get leaders; records sent before that are
    // refused (NOT_LEADER_OR_FOLLOWER) and, pipelined, can leave the producer retrying for minutes.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                admin
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(5, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // One request in flight per partition: a refused batch cannot leave later ones out of order.
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(props);
  }

  public String topic() {
    return topic;
  }

  public String bootstrap() {
    return bootstrap;
  }

  /** Sends all, then waits until the broker acknowledged every one (acks=all). */
  public void chats(List<ChatMsg> messages) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>(messages.size());
    for (ChatMsg msg : messages) {
      acks.add(
          producer.send(
              new ProducerRecord<>(
                  topic,
                  msg.getConversationId().getBytes(StandardCharsets.UTF_8),
                  MessageEvent.newBuilder().setChat(msg).build().toByteArray())));
    }
    producer.flush();
    for (Future<RecordMetadata> ack : acks) {
      ack.get(15, TimeUnit.SECONDS);
    }
  }

  public void chat(ChatMsg msg) throws Exception {
    chats(List.of(msg));
  }

  public void receipt(AckMsg ack) throws Exception {
    send(ack.getConversationId(), MessageEvent.newBuilder().setAck(ack).build().toByteArray());
    producer.flush();
  }

  /** Any bytes under a key, e.g. garbage. */
  public void raw(String key, byte[] value) throws Exception {
    send(key, value);
    producer.flush();
  }

  private void send(String key, byte[] value) throws Exception {
    producer
        .send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
        .get(15, TimeUnit.SECONDS);
  }

  /** The log end offset of every partition. */
  public Map<TopicPartition, Long> endOffsets() throws Exception {
    Map<TopicPartition, OffsetSpec> request =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(10, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
        admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
    return result.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  /** The group's committed offsets on this topic (partitions without a commit are absent). */
  public Map<TopicPartition, Long> committed(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    return offsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  /** Non-empty partitions' end offsets: what a group that consumed everything has committed. */
  public Map<TopicPartition, Long> nonEmptyEndOffsets() throws Exception {
    return endOffsets().entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
