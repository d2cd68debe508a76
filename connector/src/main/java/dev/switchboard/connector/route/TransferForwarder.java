package dev.switchboard.connector.route;

import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.common.grpc.ItemFailures;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.internal.ItemFailure;
import dev.switchboard.proto.internal.PublishPresenceRequest;
import dev.switchboard.proto.internal.PublishPresenceResponse;
import dev.switchboard.proto.internal.SendAckBatchRequest;
import dev.switchboard.proto.internal.SendAckRequest;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendAckResult;
import dev.switchboard.proto.internal.SendChatBatchRequest;
import dev.switchboard.proto.internal.SendChatRequest;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.proto.internal.SendChatResult;
import dev.switchboard.proto.internal.TransferGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToIntFunction;
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

  /**
   * One group in one batch call: transfer starts a batch's items in their order on one thread, and
   * a conversation's messages are sequenced in the order they were started.
   */
  @Override
  public List<CompletableFuture<SendChatResponse>> sendChats(List<ChatMsg> msgs) {
    List<SendChatRequest> requests = new ArrayList<>(msgs.size());
    for (ChatMsg msg : msgs) {
      requests.add(SendChatRequest.newBuilder().setMsg(msg).setConnectorId(connectorId).build());
    }
    List<CompletableFuture<SendChatResult>> results = chats.submitAll(requests);
    List<CompletableFuture<SendChatResponse>> responses = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      String clientMsgId = msgs.get(i).getClientMsgId();
      responses.add(
          results
              .get(i)
              .thenApply(
                  result ->
                      orThrow(
                          result.hasFailure() ? result.getFailure() : null, result.getResponse()))
              .exceptionally(
                  failure ->
                      SendChatResponse.newBuilder()
                          .setError(unavailable(failure, "message " + clientMsgId))
                          .build()));
    }
    return responses;
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
            result ->
                orThrow(result.hasFailure() ? result.getFailure() : null, result.getResponse()))
        .exceptionally(
            failure ->
                SendAckResponse.newBuilder()
                    .setError(unavailable(failure, "receipt for " + ack.getAckMsgId()))
                    .build());
  }

  /** One batch RPC of the Transfer stub, e.g. {@code TransferStub::sendChatBatch}. */
  @FunctionalInterface
  private interface BatchRpc<B, R> {
    void call(TransferGrpc.TransferStub stub, B request, StreamObserver<R> results);
  }

  private CompletableFuture<Void> sendChatBatch(
      List<SendChatRequest> requests, CallBatcher.Answers<SendChatResult> answers) {
    return sendBatch(
        requests,
        answers,
        items -> SendChatBatchRequest.newBuilder().addAllRequests(items).build(),
        TransferGrpc.TransferStub::sendChatBatch,
        SendChatResult::getIndex);
  }

  private CompletableFuture<Void> sendAckBatch(
      List<SendAckRequest> requests, CallBatcher.Answers<SendAckResult> answers) {
    return sendBatch(
        requests,
        answers,
        items -> SendAckBatchRequest.newBuilder().addAllRequests(items).build(),
        TransferGrpc.TransferStub::sendAckBatch,
        SendAckResult::getIndex);
  }

  /**
   * A batch that failed in transport goes again to another instance with the items it has no answer
   * for yet (every item is idempotent); a failed item is answered on its own, like the unbatched
   * call it stands for.
   */
  private <Q, B, R> CompletableFuture<Void> sendBatch(
      List<Q> requests,
      CallBatcher.Answers<R> answers,
      Function<List<Q>, B> batchOf,
      BatchRpc<B, R> rpc,
      ToIntFunction<R> indexOf) {
    return retrying.call(
        endpoint -> {
          int[] open = answers.unanswered();
          if (open.length == 0) {
            return CompletableFuture.completedFuture(null);
          }
          List<Q> items = new ArrayList<>(open.length);
          for (int index : open) {
            items.add(requests.get(index));
          }
          B request = batchOf.apply(items);
          return GrpcFutures.<R>serverStream(
              observer -> rpc.call(stub(endpoint), request, observer),
              result -> {
                // The attempt's request holds only the open items: map back to the batch.
                int sent = indexOf.applyAsInt(result);
                if (sent >= 0 && sent < open.length) {
                  answers.answer(open[sent], result);
                } else {
                  log.warn(
                      "transfer answered item {} of a batch of {}; ignored", sent, open.length);
                }
              });
        });
  }

  /** The item's response, or the exception its unbatched call would have failed with. */
  private static <R> R orThrow(ItemFailure failure, R response) {
    if (failure != null) {
      throw ItemFailures.status(failure).asRuntimeException();
    }
    return response;
  }

  @Override
  public void publish(long userId, String deviceId, boolean online, boolean transition) {
    PublishPresenceRequest request =
        PublishPresenceRequest.newBuilder()
            .setUserId(userId)
            .setDeviceId(deviceId)
            .setOnline(online)
            .setTransition(transition)
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
