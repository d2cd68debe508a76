package dev.switchboard.connector.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransferForwarderTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final GrpcChannels channels = new GrpcChannels();

  @AfterEach
  void tearDown() {
    channels.close();
    scheduler.shutdownNow();
  }

  @Test
  void withoutAnyTransferInstance_aChatMsgGetsUnavailable() throws Exception {
    TransferForwarder forwarder = forwarderWithoutInstances();

    SendChatResponse response =
        forwarder
            .sendChat(ChatMsg.newBuilder().setClientMsgId("c1").setDestId(2).build())
            .get(5, TimeUnit.SECONDS);

    assertThat(response.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(response.getError().getMessage()).contains("same client_msg_id");
  }

  @Test
  void withoutAnyTransferInstance_aReceiptGetsUnavailable() throws Exception {
    SendAckResponse response =
        forwarderWithoutInstances()
            .sendAck(AckMsg.newBuilder().setMsgType(MsgType.READ).build(), "phone")
            .get(5, TimeUnit.SECONDS);

    assertThat(response.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  private TransferForwarder forwarderWithoutInstances() {
    RetryingCall retrying =
        new RetryingCall(
            "transfer", avoid -> Optional.empty(), 3, Duration.ofMillis(10), scheduler);
    return new TransferForwarder("conn-test", retrying, channels, Duration.ofSeconds(1));
  }
}
