package dev.switchboard.transfer.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.MessageEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class MessageLogTest {
  private static final MessageEvent EVENT =
      MessageEvent.newBuilder().setChat(ChatMsg.newBuilder().setId(1)).build();

  @Test
  void maxWait_isMaxBlockPlusDeliveryPlusAMargin_andTheDefaultFitsTheConnectorsDeadline() {
    assertThat(MessageLog.maxWait(Duration.ofSeconds(4))).isEqualTo(Duration.ofMillis(6_250));
    // The connector's default SendChat deadline is 10 s; the database needs its share too.
    assertThat(MessageLog.maxWait(Duration.ofSeconds(4)).plusSeconds(1))
        .isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void anAppendNeverAcknowledged_givesUpWithinMaxWait_countedFromTheSend() {
    // autoComplete=false: the record is never acknowledged, like a broker that went away.
    MockProducer<byte[], byte[]> silent =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    MessageLog log = new MessageLog(silent, "t", Duration.ofSeconds(1));
    long started = System.nanoTime();

    assertThatThrownBy(() -> log.append("s_1_2", EVENT))
        .isInstanceOf(MessageLogUnavailableException.class);

    Duration waited = Duration.ofNanos(System.nanoTime() - started);
    assertThat(waited).isGreaterThanOrEqualTo(log.maxWait());
    assertThat(waited).isLessThan(log.maxWait().plusMillis(400));
  }

  @Test
  void aRefusedSend_failsTheFuture_insteadOfThrowing() {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    producer.close();
    MessageLog log = new MessageLog(producer, "t", Duration.ofSeconds(1));
    assertThat(log.send("s_1_2", EVENT)).isCompletedExceptionally();
  }

  /** Its first send() waits, as KafkaProducer does for metadata, then fails or buffers. */
  private static MockProducer<byte[], byte[]> stallingOnce(AtomicInteger sends, boolean fail) {
    return new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
      @Override
      public synchronized Future<RecordMetadata> send(
          ProducerRecord<byte[], byte[]> record, Callback callback) {
        if (sends.incrementAndGet() == 1) {
          LockSupport.parkNanos(Duration.ofMillis(120).toNanos());
          if (fail) {
            // What KafkaProducer does when max.block.ms passes without metadata.
            TimeoutException timeout = new TimeoutException("metadata not available");
            callback.onCompletion(null, timeout);
            return CompletableFuture.failedFuture(timeout);
          }
        }
        return super.send(record, callback);
      }
    };
  }

  @Test
  void afterASendThatStalledAndFailed_theNextSendsFailAtOnce_untilTheWindowHasPassed() {
    AtomicInteger sends = new AtomicInteger();
    MessageLog log = new MessageLog(stallingOnce(sends, true), "t", Duration.ofSeconds(1));

    assertThat(log.send("s_1_2", EVENT)).isCompletedExceptionally();
    CompletableFuture<RecordMetadata> next = log.send("s_1_2", EVENT);

    assertThat(next).isCompletedExceptionally();
    assertThatThrownBy(next::join).hasCauseInstanceOf(MessageLogUnavailableException.class);
    assertThat(sends).hasValue(1);
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> !log.send("s_1_2", EVENT).isDone() && sends.get() == 2);
  }

  @Test
  void aSendThatStalledButWasBuffered_doesNotFailTheNextOnes() {
    AtomicInteger sends = new AtomicInteger();
    MessageLog log = new MessageLog(stallingOnce(sends, false), "t", Duration.ofSeconds(1));

    assertThat(log.send("s_1_2", EVENT)).isNotDone();
    assertThat(log.send("s_1_2", EVENT)).isNotDone();
    assertThat(sends).hasValue(2);
  }
}
