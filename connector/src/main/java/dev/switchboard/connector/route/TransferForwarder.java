package dev.switchboard.connector.route;

import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.internal.ItemFailure;
import dev.switchboard.proto.internal.PublishPresenceRequest;
import dev.switchboard.proto.internal.PublishPresenceResponse;
import dev.switchboard.proto.internal.SendAckBatchRequest;
import dev.switchboard.proto.internal.SendAckBatchResponse;
import dev.switchboard.proto.internal.SendAckRequest;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendAckResult;
import dev.switchboard.proto.internal.SendChatBatchRequest;
import dev.switchboard.proto.internal.SendChatBatchResponse;
import dev.switchboard.proto.internal.SendChatRequest;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.proto.internal.SendChatResult;
import dev.switchboard.proto.internal.TransferGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageForwarder} over gRPC to any live transfer instance. Messages and receipts of all
 * sessions travel in batch calls ({@link CallBatcher}): one unary call per message cost more CPU in
 * HTTP/2 framing than the rest of the message's way. Both calls are idempotent on transfer's side
 * (SendChat by client_msg_id), so a batch that failed in transport is sent again, the same request,
 * to another instance ({@link RetryingCall}). When that fails too, the client gets
 * Error{UNAVAILABLE} and may retry with the same client_msg_id.
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

  private final CallBatcher<SendChatRequest, SendChatResult> chats;
  private final CallBatcher<SendAckRequest, SendAckResult> acks;

  /**
   * @param maxBatchesInFlight per kind (chats, receipts): batch calls outstanding at once
   * @param maxBatch items per batch call at most
   */
  public TransferForwarder(
      String connectorId,
      RetryingCall retrying,
      GrpcChannels channels,
      Duration deadline,
      int maxBatchesInFlight,
      int maxBatch) {
    this.connectorId = connectorId;
    this.retrying = retrying;
    this.channels = channels;
    this.deadline = deadline;
    this.chats = new CallBatcher<>(maxBatchesInFlight, maxBatch, this::sendChatBatch);
    this.acks = new CallBatcher<>(maxBatchesInFlight, maxBatch, this::sendAckBatch);
  }

  @Override
  public CompletableFuture<SendChatResponse> sendChat(ChatMsg msg) {
    SendChatRequest request =
        SendChatRequest.newBuilder().setMsg(msg).setConnectorId(connectorId).build();
    return chats
        .submit(request)
        .thenApply(
            result -> {
              if (result.hasFailure()) {
                throw asException(result.getFailure());
              }
              return result.getResponse();
            })
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
    return acks.submit(request)
        .thenApply(
            result -> {
              if (result.hasFailure()) {
                throw asException(result.getFailure());
              }
              return result.getResponse();
            })
        .exceptionally(
            failure ->
                SendAckResponse.newBuilder()
                    .setError(unavailable(failure, "receipt for " + ack.getAckMsgId()))
                    .build());
  }

  // A whole batch that failed in transport goes again, whole, to another instance (every item is
  // idempotent); a failed item is answered on its own, like the unbatched call it stands for.
  private CompletableFuture<List<SendChatResult>> sendChatBatch(List<SendChatRequest> requests) {
    SendChatBatchRequest batch = SendChatBatchRequest.newBuilder().addAllRequests(requests).build();
    return retrying
        .<SendChatBatchResponse>call(
            endpoint ->
                GrpcFutures.unary(observer -> stub(endpoint).sendChatBatch(batch, observer)))
        .thenApply(SendChatBatchResponse::getResultsList);
  }

  private CompletableFuture<List<SendAckResult>> sendAckBatch(List<SendAckRequest> requests) {
    SendAckBatchRequest batch = SendAckBatchRequest.newBuilder().addAllRequests(requests).build();
    return retrying
        .<SendAckBatchResponse>call(
            endpoint -> GrpcFutures.unary(observer -> stub(endpoint).sendAckBatch(batch, observer)))
        .thenApply(SendAckBatchResponse::getResultsList);
  }

  private static StatusRuntimeException asException(ItemFailure failure) {
    return Status.fromCodeValue(failure.getStatusCode())
        .withDescription(failure.getDescription())
        .asRuntimeException();
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
