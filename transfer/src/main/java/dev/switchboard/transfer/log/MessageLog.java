package dev.switchboard.transfer.log;

import dev.switchboard.proto.internal.MessageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 * <p>An append counts only once the broker acknowledged the record with acks=all (all in-sync
 * replicas have it), which is what SENT promises. The idempotent producer keeps its own retries
 * from writing duplicates; consumers still dedupe by message id, because a client retry or a
 * republish after an unconfirmed append re-produces the same message.
 *
 * <p>Time bound: the producer completes every send within {@code max.block.ms} (blocked in {@code
 * send()} while metadata or buffer space is missing) plus {@code delivery.timeout.ms} (after {@code
 * send()} returned). {@link #maxWait()} is that sum plus a small margin, measured from the start of
 * the send; with the default 4 s delivery timeout it is 6.25 s, below the connector's 10 s SendChat
 * deadline (TransferConfig checks this at startup).
 */
public final class MessageLog implements AutoCloseable {
  /** Slack for a callback that completes a little after the producer's own timeout. */
  private static final long MARGIN_MILLIS = 250;

  /** A send() that returned after this long waited for metadata or buffer space. */
  private static final long STALLED_NANOS = 50_000_000L;

  /** After a stalled send(), later sends fail at once for this long instead of stalling too. */
  private static final long FAIL_FAST_NANOS = 1_000_000_000L;

  /** Until when (System.nanoTime based) sends fail at once; 0-based so it starts in the past. */
  private volatile long failFastUntil = System.nanoTime();

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Duration maxWait;

  public MessageLog(Producer<byte[], byte[]> producer, String topic, Duration deliveryTimeout) {
    this.producer = producer;
    this.topic = topic;
    this.maxWait = maxWait(deliveryTimeout);
  }

  /** The longest an append can take with this delivery timeout, from the start of the send. */
  public static Duration maxWait(Duration deliveryTimeout) {
    return Duration.ofMillis(
        maxBlockMillis(deliveryTimeout) + deliveryTimeout.toMillis() + MARGIN_MILLIS);
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
   * Starts writing the event. Returns once the record is handed to the producer (blocking at most
   * {@code max.block.ms}); the future completes when the broker acknowledged it, or fails. It
   * always completes, within {@link #maxWait()} of this call.
   *
   * <p>send() blocks only while the topic's metadata is unknown (no broker reached since start) or
   * the producer's buffer is full, and callers run it on threads that serve many messages (a
   * sequencing lane). So after one send() stalled and failed, the sends of the next second fail at
   * once (nothing could be appended anyway) instead of each stalling in turn; committed messages
   * are left to the outbox as with any unconfirmed append.
   */
  public CompletableFuture<RecordMetadata> send(String conversationId, MessageEvent event) {
    if (System.nanoTime() - failFastUntil < 0) {
      return CompletableFuture.failedFuture(
          new MessageLogUnavailableException(
              "broker unreachable: a send just waited max.block.ms for metadata or buffer space",
              null));
    }
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            topic, conversationId.getBytes(StandardCharsets.UTF_8), event.toByteArray());
    CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
    long started = System.nanoTime();
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error != null) {
              acked.completeExceptionally(error);
            } else {
              acked.complete(metadata);
            }
          });
    } catch (KafkaException | IllegalStateException e) {
      // send() itself throws when the producer is closed or metadata cannot be fetched in time.
      acked.completeExceptionally(e);
    }
    // Only a stall that ended in failure (metadata never came): one that ended in a buffered
    // record means the broker is there.
    long now = System.nanoTime();
    if (now - started > STALLED_NANOS && acked.isCompletedExceptionally()) {
      failFastUntil = now + FAIL_FAST_NANOS;
    }
    return acked;
  }

  /**
   * Waits for the acknowledgement of a {@link #send} until {@code deadlineNanos} ({@link
   * System#nanoTime()} based).
   *
   * @throws MessageLogUnavailableException if it is not acknowledged by then
   */
  public static RecordMetadata await(CompletableFuture<RecordMetadata> acked, long deadlineNanos)
      throws MessageLogUnavailableException {
    try {
      long left = Math.max(0, deadlineNanos - System.nanoTime());
      return acked.get(left, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new MessageLogUnavailableException(
          "broker did not acknowledge: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new MessageLogUnavailableException("no broker acknowledgement in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessageLogUnavailableException("interrupted while waiting for the broker", e);
    }
  }

  /**
   * Writes the event and waits for the broker's acknowledgement, at most {@link #maxWait()}.
   *
   * @return where it was written
   * @throws MessageLogUnavailableException if it is not acknowledged in time
   */
  public RecordMetadata append(String conversationId, MessageEvent event)
      throws MessageLogUnavailableException {
    long deadline = System.nanoTime() + maxWait.toNanos();
    return await(send(conversationId, event), deadline);
  }

  /** The longest a send takes to complete, one way or the other. */
  public Duration maxWait() {
    return maxWait;
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
