package dev.switchboard.account;

import static org.awaitility.Awaitility.await;

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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes chat messages to the message log exactly as transfer does: key = conversation id (UTF-8),
 * value = serialized {@link MessageEvent}, acks=all, idempotent. offline-store consumes them.
 */
final class MessageLog implements AutoCloseable {
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  /** Creates the topic and waits until every partition has a leader. */
  MessageLog(String bootstrap, String topic, int partitions) throws Exception {
    this.topic = topic;
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(Set.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(15, TimeUnit.SECONDS);
      // Records sent to a partition without a leader yet are refused and retried for a long time.
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
    }
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(props);
  }

  String topic() {
    return topic;
  }

  /** Sends all and waits until the broker acknowledged every one. */
  void append(List<ChatMsg> messages) throws Exception {
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

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
