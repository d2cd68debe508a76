package dev.switchboard.connector.route;

import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.internal.AckReceiptsRequest;
import dev.switchboard.proto.internal.AckReceiptsResponse;
import dev.switchboard.proto.internal.AdvanceCursorRequest;
import dev.switchboard.proto.internal.AdvanceCursorsRequest;
import dev.switchboard.proto.internal.AdvanceCursorsResponse;
import dev.switchboard.proto.internal.OfflineStoreGrpc;
import dev.switchboard.proto.internal.SyncRequest;
import dev.switchboard.proto.internal.SyncResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link SyncSource} and {@link DeliveryCursor} over gRPC to any live offline-store instance. All
 * of its calls are safe to repeat (Sync only reads, the cursors only move forward), so a transport
 * failure is retried on another instance ({@link RetryingCall}); when that fails too, the future
 * fails and the caller tells the client to retry.
 */
public final class OfflineStoreClient implements SyncSource, DeliveryCursor {
  private final RetryingCall retrying;
  private final GrpcChannels channels;
  private final Duration deadline;

  public OfflineStoreClient(RetryingCall retrying, GrpcChannels channels, Duration deadline) {
    this.retrying = retrying;
    this.channels = channels;
    this.deadline = deadline;
  }

  @Override
  public CompletableFuture<SyncResponse> sync(
      long userId, String deviceId, String cursor, int limit, Duration wait) {
    SyncRequest request =
        SyncRequest.newBuilder()
            .setUserId(userId)
            .setDeviceId(deviceId)
            .setCursor(cursor)
            .setLimit(limit)
            .setWaitMs((int) Math.min(Integer.MAX_VALUE, wait.toMillis()))
            .build();
    return retrying.call(
        endpoint -> GrpcFutures.unary(observer -> stub(endpoint).sync(request, observer)));
  }

  @Override
  public CompletableFuture<Boolean> ackReceipts(long userId, String deviceId, long lastReceiptId) {
    AckReceiptsRequest request =
        AckReceiptsRequest.newBuilder()
            .setUserId(userId)
            .setDeviceId(deviceId)
            .setLastReceiptId(lastReceiptId)
            .build();
    return retrying
        .<AckReceiptsResponse>call(
            endpoint ->
                GrpcFutures.unary(observer -> stub(endpoint).ackReceipts(request, observer)))
        .thenApply(AckReceiptsResponse::getFound);
  }

  @Override
  public CompletableFuture<Void> advanceAll(List<Advance> advances) {
    AdvanceCursorsRequest.Builder request = AdvanceCursorsRequest.newBuilder();
    for (Advance a : advances) {
      request.addAdvances(
          AdvanceCursorRequest.newBuilder()
              .setUserId(a.userId())
              .setDeviceId(a.deviceId())
              .setConversationId(a.conversationId())
              .setDeliveredSeq(a.deliveredSeq()));
    }
    AdvanceCursorsRequest built = request.build();
    return retrying
        .<AdvanceCursorsResponse>call(
            endpoint ->
                GrpcFutures.unary(observer -> stub(endpoint).advanceCursors(built, observer)))
        .thenApply(ignored -> null);
  }

  private OfflineStoreGrpc.OfflineStoreStub stub(ServiceEndpoint endpoint) {
    return OfflineStoreGrpc.newStub(channels.forEndpoint(endpoint))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }
}
