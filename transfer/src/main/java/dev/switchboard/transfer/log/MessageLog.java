package dev.switchboard.transfer.log;

import dev.switchboard.proto.internal.MessageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The durable message log: {@link MessageEvent}s on one Kafka topic, keyed by conversation id so a
 * conversation stays in one partition, in order.
 *
 * <p>{@link #append} returns only after the broker acknowledged the record with acks=all (all
 * in-sync replicas have it), which is what SENT promises. The idempotent producer keeps its own
 * retries from writing duplicates; consumers still dedupe by message id, because a client retry
 * after UNAVAILABLE re-produces the same message.
 */
public final class MessageLog implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final long waitMillis;

  public MessageLog(Producer<byte[], byte[]> producer, String topic, Duration deliveryTimeout) {
    this.producer = producer;
    this.topic = topic;
    // The producer completes every send within max.block.ms + delivery.timeout.ms; the extra
    // second only guards against a future that is never completed.
    this.waitMillis = deliveryTimeout.toMillis() + maxBlockMillis(deliveryTimeout) + 1_000;
  }

  /** A producer that writes durably: acks=all, idempotent, bounded in time. */
  public static KafkaProducer<byte[], byte[]> producer(
      String bootstrapServers, String clientId, Duration deliveryTimeout) {
    long delivery = deliveryTimeout.toMillis();
    // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    long linger = 1;
    long request = Math.max(1, delivery - linger);
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // A short linger lets concurrent SendChats share a batch for ~nothing in latency.
    props.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(request, Integer.MAX_VALUE));
    props.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(delivery, Integer.MAX_VALUE));
    // send() blocks while metadata is missing (broker unreachable): bound that too.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMillis(deliveryTimeout));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(props);
  }

  private static long maxBlockMillis(Duration deliveryTimeout) {
    return Math.max(100, deliveryTimeout.toMillis() / 2);
  }

  /**
   * Writes the event and waits for the broker's acknowledgement.
   *
   * @return where it was written
   * @throws MessageLogUnavailableException if it is not acknowledged in time
   */
  public RecordMetadata append(String conversationId, MessageEvent event)
      throws MessageLogUnavailableException {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            topic, conversationId.getBytes(StandardCharsets.UTF_8), event.toByteArray());
    try {
      Future<RecordMetadata> ack = producer.send(record);
      return ack.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new MessageLogUnavailableException(
          "broker did not acknowledge: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new MessageLogUnavailableException("no broker acknowledgement in time", e);
    } catch (KafkaException e) {
      // send() itself throws when metadata cannot be fetched within max.block.ms.
      throw new MessageLogUnavailableException("broker unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessageLogUnavailableException("interrupted while waiting for the broker", e);
    }
  }

  public String topic() {
    return topic;
  }

  /** Flushes what is buffered (bounded) and closes. */
  public void close(Duration timeout) {
    producer.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
