package dev.switchboard.transfer.grpc;

import dev.switchboard.common.concurrent.Futures;
import dev.switchboard.common.grpc.ItemFailures;
import dev.switchboard.proto.internal.InvalidateRelationsRequest;
import dev.switchboard.proto.internal.InvalidateRelationsResponse;
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
import dev.switchboard.proto.internal.UserPair;
import dev.switchboard.transfer.message.Caller;
import dev.switchboard.transfer.message.ChatIntake;
import dev.switchboard.transfer.message.ChatOutcome;
import dev.switchboard.transfer.message.ReceiptRelay;
import dev.switchboard.transfer.ops.TransferMetrics;
import dev.switchboard.transfer.presence.PresenceNotifier;
import dev.switchboard.transfer.relations.PairKey;
import dev.switchboard.transfer.relations.RelationChanges;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Transfer gRPC service: hands each call to one domain object and maps the result. The server
 * runs it on a direct executor, so every call is moved to the bounded {@link HandlerPool} first;
 * even InvalidateRelations, whose cache invalidation waits for a relation load of the same pair
 * that is in flight (a database read).
 */
public final class TransferGrpcService extends TransferGrpc.TransferImplBase {
  private static final Logger log = LoggerFactory.getLogger(TransferGrpcService.class);

  private final ChatIntake chats;
  private final ReceiptRelay receipts;
  private final RelationChanges relationChanges;
  private final PresenceNotifier presence;
  private final TransferMetrics metrics;
  private final HandlerPool handlers;

  public TransferGrpcService(
      HandlerPool handlers,
      ChatIntake chats,
      ReceiptRelay receipts,
      RelationChanges relationChanges,
      PresenceNotifier presence,
      TransferMetrics metrics) {
    this.chats = chats;
    this.receipts = receipts;
    this.relationChanges = relationChanges;
    this.presence = presence;
    this.metrics = metrics;
    this.handlers = handlers;
  }

  @Override
  public void sendChat(SendChatRequest request, StreamObserver<SendChatResponse> responses) {
    handlers.run(
        responses,
        () ->
            chatResult(request, 0)
                .thenAccept(
                    result ->
                        answer(
                            responses,
                            result.hasFailure() ? result.getFailure() : null,
                            result.getResponse())));
  }

  @Override
  public void sendChatBatch(
      SendChatBatchRequest request, StreamObserver<SendChatResult> responses) {
    runBatch(
        request.getRequestsCount(),
        responses,
        index -> chatResult(request.getRequests(index), index),
        (index, failure) ->
            SendChatResult.newBuilder().setIndex(index).setFailure(failure).build());
  }

  @Override
  public void sendAck(SendAckRequest request, StreamObserver<SendAckResponse> responses) {
    handlers.run(
        responses,
        () ->
            ackResult(request, 0)
                .thenAccept(
                    result ->
                        answer(
                            responses,
                            result.hasFailure() ? result.getFailure() : null,
                            result.getResponse())));
  }

  @Override
  public void sendAckBatch(SendAckBatchRequest request, StreamObserver<SendAckResult> responses) {
    runBatch(
        request.getRequestsCount(),
        responses,
        index -> ackResult(request.getRequests(index), index),
        (index, failure) -> SendAckResult.newBuilder().setIndex(index).setFailure(failure).build());
  }

  /** An unbatched call's answer: its response, or the status it fails with. */
  private static <R> void answer(StreamObserver<R> responses, ItemFailure failure, R response) {
    if (failure != null) {
      responses.onError(ItemFailures.status(failure).asRuntimeException());
    } else {
      responses.onNext(response);
      responses.onCompleted();
    }
  }

  /**
   * Starts every item of a batch in one handler-pool task ({@code result} never fails) and streams
   * each result as it completes. One task per batch, not per item: an item only holds the thread
   * for its checks (cache hits, as a rule) and then waits without it, so waking a thread per item
   * would cost more than the item's own work. If the pool refuses the batch, every item is answered
   * with the refusal.
   */
  private <T> void runBatch(
      int size,
      StreamObserver<T> responses,
      IntFunction<CompletableFuture<T>> result,
      BiFunction<Integer, ItemFailure, T> refused) {
    BatchAnswer<T> answer = new BatchAnswer<>(size, responses);
    if (size == 0) {
      return;
    }
    handlers
        .tryRun(
            () -> {
              for (int i = 0; i < size; i++) {
                try {
                  result.apply(i).thenAccept(answer::send);
                } catch (RuntimeException e) {
                  log.error("batch item {} of {} failed to start", i, size, e);
                  answer.send(refused.apply(i, Answers.unexpected(e)));
                }
              }
            })
        .ifPresent(
            refusal -> {
              ItemFailure failure = ItemFailures.of(refusal);
              for (int i = 0; i < size; i++) {
                answer.send(refused.apply(i, failure));
              }
            });
  }

  /** Never fails: an unexpected error is the item's failure. */
  private CompletableFuture<SendChatResult> chatResult(SendChatRequest request, int index) {
    Timer.Sample sample = Timer.start();
    String clientMsgId = request.getMsg().getClientMsgId();
    Caller caller = GrpcCaller.current();
    return started(() -> chats.send(request.getMsg(), caller))
        .handle(
            (done, failure) -> {
              sample.stop(metrics.sendChatLatency());
              SendChatResult.Builder result = SendChatResult.newBuilder().setIndex(index);
              if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                log.error(
                    "SendChat from {} (client_msg_id {}, connector {}) failed",
                    request.getMsg().getFromId(),
                    clientMsgId,
                    request.getConnectorId(),
                    cause);
                return result.setFailure(Answers.unexpected(cause)).build();
              }
              if (done instanceof ChatOutcome.Abandoned) {
                return result.setFailure(Answers.abandoned()).build();
              }
              return result.setResponse(Answers.chat(done, clientMsgId)).build();
            });
  }

  /** Never fails: an unexpected error is the item's failure. */
  private CompletableFuture<SendAckResult> ackResult(SendAckRequest request, int index) {
    if (GrpcCaller.current().gone()) {
      metrics.abandoned();
      return CompletableFuture.completedFuture(
          SendAckResult.newBuilder().setIndex(index).setFailure(Answers.abandoned()).build());
    }
    Timer.Sample sample = Timer.start();
    return started(() -> receipts.relay(request.getAck()))
        .handle(
            (refusal, failure) -> {
              sample.stop(metrics.sendAckLatency());
              SendAckResult.Builder result = SendAckResult.newBuilder().setIndex(index);
              if (failure != null) {
                Throwable cause = Futures.unwrap(failure);
                log.error(
                    "SendAck from {} for message {} (connector {}) failed",
                    request.getAck().getFromId(),
                    request.getAck().getAckMsgId(),
                    request.getConnectorId(),
                    cause);
                return result.setFailure(Answers.unexpected(cause)).build();
              }
              return result
                  .setResponse(Answers.ack(refusal, request.getAck().getClientMsgId()))
                  .build();
            });
  }

  /** What {@code start} returns, or a failed future if it threw. */
  private static <T> CompletableFuture<T> started(Supplier<CompletableFuture<T>> start) {
    try {
      return start.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void invalidateRelations(
      InvalidateRelationsRequest request, StreamObserver<InvalidateRelationsResponse> responses) {
    handlers.run(responses, () -> handleInvalidateRelations(request, responses));
  }

  private void handleInvalidateRelations(
      InvalidateRelationsRequest request, StreamObserver<InvalidateRelationsResponse> responses) {
    List<PairKey> pairs = new ArrayList<>(request.getPairsCount());
    for (UserPair pair : request.getPairsList()) {
      if (pair.getA() <= 0 || pair.getB() <= 0) {
        responses.onError(
            Status.INVALID_ARGUMENT
                .withDescription(
                    "every pair needs two user ids > 0, not " + pair.getA() + " and " + pair.getB())
                .asRuntimeException());
        return;
      }
      pairs.add(PairKey.of(pair.getA(), pair.getB()));
    }
    relationChanges.changed(pairs);
    log.debug("invalidated relations of {} pairs", pairs.size());
    responses.onNext(InvalidateRelationsResponse.getDefaultInstance());
    responses.onCompleted();
  }

  @Override
  public void publishPresence(
      PublishPresenceRequest request, StreamObserver<PublishPresenceResponse> responses) {
    if (request.getTransition()) {
      handlePublishPresence(request, responses); // decided already: only queues the notices
      return;
    }
    // The route lookup blocks (a gRPC call to user-status): not on the transport thread.
    handlers.run(responses, () -> handlePublishPresence(request, responses));
  }

  private void handlePublishPresence(
      PublishPresenceRequest request, StreamObserver<PublishPresenceResponse> responses) {
    if (request.getUserId() <= 0) {
      responses.onError(
          Status.INVALID_ARGUMENT.withDescription("user_id must be > 0").asRuntimeException());
      return;
    }
    // Decided by the connector, or by one route lookup here; the friend list and the pushes run
    // in a push lane.
    presence.publish(
        request.getUserId(), request.getDeviceId(), request.getOnline(), request.getTransition());
    responses.onNext(PublishPresenceResponse.getDefaultInstance());
    responses.onCompleted();
  }
}
