package dev.switchboard.transfer.it;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.MessageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the message topic from the beginning, the way offline-store will. Test thread only. */
final class MessageLogReader implements AutoCloseable {
  /** A record as it is on the topic. */
  record Entry(String key, int partition, long offset, MessageEvent event) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Entry> entries = new ArrayList<>();

  MessageLogReader(String bootstrap, String topic) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Everything read so far, after one more poll. */
  List<Entry> poll() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      try {
        entries.add(
            new Entry(
                new String(record.key(), StandardCharsets.UTF_8),
                record.partition(),
                record.offset(),
                MessageEvent.parseFrom(record.value())));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("not a MessageEvent at offset " + record.offset(), e);
      }
    }
    return List.copyOf(entries);
  }

  List<ChatMsg> chats(Predicate<ChatMsg> filter) {
    return poll().stream()
        .filter(e -> e.event().hasChat())
        .map(e -> e.event().getChat())
        .filter(filter)
        .toList();
  }

  List<AckMsg> acks(Predicate<AckMsg> filter) {
    return poll().stream()
        .filter(e -> e.event().hasAck())
        .map(e -> e.event().getAck())
        .filter(filter)
        .toList();
  }

  /** Polls until at least {@code count} chat records match. */
  List<ChatMsg> awaitChats(Predicate<ChatMsg> filter, int count) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> chats(filter).size() >= count);
    return chats(filter);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
