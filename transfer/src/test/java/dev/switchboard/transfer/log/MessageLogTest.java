package dev.switchboard.transfer.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.MessageEvent;
import java.time.Duration;
import org.apache.kafka.clients.producer.MockProducer;
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
}
