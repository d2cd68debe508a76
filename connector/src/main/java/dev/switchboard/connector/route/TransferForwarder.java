package dev.switchboard.connector.route;

import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.internal.PublishPresenceRequest;
import dev.switchboard.proto.internal.PublishPresenceResponse;
import dev.switchboard.proto.internal.SendAckRequest;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatRequest;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.proto.internal.TransferGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageForwarder} over gRPC to any live transfer instance. Both calls are idempotent on
 * transfer's side (SendChat by client_msg_id), so a call that failed in transport is sent again,
 * the same request, to another instance ({@link RetryingCall}). When that fails too, the client
 * gets Error{UNAVAILABLE} and may retry with the same client_msg_id.
 *
 * <p>Also the {@link PresencePublisher}: PublishPresence goes the same way (any instance, retried
 * on another after a transport failure), and nobody waits for its answer.
 */
public final class TransferForwarder implements MessageForwarder, PresencePublisher {
  private static final Logger log = LoggerFactory.getLogger(TransferForwarder.class);

  private final String connectorId;
  private final RetryingCall retrying;
  private final GrpcChannels channels;
  private final Duration deadline;

  public TransferForwarder(
      String connectorId, RetryingCall retrying, GrpcChannels channels, Duration deadline) {
    this.connectorId = connectorId;
    this.retrying = retrying;
    this.channels = channels;
    this.deadline = deadline;
  }

  @Override
  public CompletableFuture<SendChatResponse> sendChat(ChatMsg msg) {
    SendChatRequest request =
        SendChatRequest.newBuilder().setMsg(msg).setConnectorId(connectorId).build();
    return retrying
        .<SendChatResponse>call(
            endpoint -> GrpcFutures.unary(observer -> stub(endpoint).sendChat(request, observer)))
        .exceptionally(
            failure ->
                SendChatResponse.newBuilder()
                    .setError(unavailable(failure, "message " + msg.getClientMsgId()))
                    .build());
  }

  @Override
  public CompletableFuture<SendAckResponse> sendAck(AckMsg ack, String fromDeviceId) {
    SendAckRequest request =
        SendAckRequest.newBuilder()
            .setAck(ack)
            .setFromDeviceId(fromDeviceId)
            .setConnectorId(connectorId)
            .build();
    return retrying
        .<SendAckResponse>call(
            endpoint -> GrpcFutures.unary(observer -> stub(endpoint).sendAck(request, observer)))
        .exceptionally(
            failure ->
                SendAckResponse.newBuilder()
                    .setError(unavailable(failure, "receipt for " + ack.getAckMsgId()))
                    .build());
  }

  @Override
  public void publish(long userId, String deviceId, boolean online) {
    PublishPresenceRequest request =
        PublishPresenceRequest.newBuilder()
            .setUserId(userId)
            .setDeviceId(deviceId)
            .setOnline(online)
            .build();
    CompletableFuture<PublishPresenceResponse> call;
    try {
      call =
          retrying.call(
              endpoint ->
                  GrpcFutures.unary(observer -> stub(endpoint).publishPresence(request, observer)));
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (response, failure) -> {
          if (failure != null) {
            log.debug(
                "presence user={} device={} online={} not published: {}",
                userId,
                deviceId,
                online,
                RetryingCall.unwrap(failure).toString());
          }
        });
  }

  private TransferGrpc.TransferStub stub(ServiceEndpoint endpoint) {
    return TransferGrpc.newStub(channels.forEndpoint(endpoint))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Transport failures become an UNAVAILABLE value; anything else stays an unexpected fault. */
  private static Error unavailable(Throwable failure, String what) {
    if (!RetryingCall.isTransportFailure(failure)) {
      throw failure instanceof CompletionException e ? e : new CompletionException(failure);
    }
    log.debug("transfer unreachable for {}: {}", what, RetryingCall.unwrap(failure).toString());
    return Error.newBuilder()
        .setCode(ErrorCode.UNAVAILABLE)
        .setMessage(
            "no transfer instance could take the message; retry with the same client_msg_id")
        .build();
  }
}
