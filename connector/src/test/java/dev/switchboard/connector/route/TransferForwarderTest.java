package dev.switchboard.connector.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.PublishPresenceRequest;
import dev.switchboard.proto.internal.PublishPresenceResponse;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.proto.internal.TransferGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
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
            .sendChats(List.of(ChatMsg.newBuilder().setClientMsgId("c1").setDestId(2).build()))
            .get(0)
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

  @Test
  void publishPresence_withoutAnyTransferInstance_neitherThrowsNorBlocks() {
    forwarderWithoutInstances().publish(7, "phone", true, true);
  }

  @Test
  void publishPresence_sendsUserDeviceAndState_toATransferInstance() throws Exception {
    BlockingQueue<PublishPresenceRequest> received = new LinkedBlockingQueue<>();
    Server transfer =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .directExecutor()
            .addService(
                new TransferGrpc.TransferImplBase() {
                  @Override
                  public void publishPresence(
                      PublishPresenceRequest request,
                      StreamObserver<PublishPresenceResponse> response) {
                    received.add(request);
                    response.onNext(PublishPresenceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
    try {
      ServiceEndpoint endpoint =
          new ServiceEndpoint("transfer", "t-1", "127.0.0.1", transfer.getPort(), Map.of());
      RetryingCall retrying =
          new RetryingCall(
              "transfer", avoid -> Optional.of(endpoint), 3, Duration.ofMillis(10), scheduler);
      new TransferForwarder("conn-test", retrying, channels, Duration.ofSeconds(5), 4, 256)
          .publish(7, "phone", false, true);

      PublishPresenceRequest request = received.poll(5, TimeUnit.SECONDS);
      assertThat(request)
          .isEqualTo(
              PublishPresenceRequest.newBuilder()
                  .setUserId(7)
                  .setDeviceId("phone")
                  .setOnline(false)
                  .setTransition(true)
                  .build());
    } finally {
      transfer.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
  }

  private TransferForwarder forwarderWithoutInstances() {
    RetryingCall retrying =
        new RetryingCall(
            "transfer", avoid -> Optional.empty(), 3, Duration.ofMillis(10), scheduler);
    return new TransferForwarder("conn-test", retrying, channels, Duration.ofSeconds(1), 4, 256);
  }
}
