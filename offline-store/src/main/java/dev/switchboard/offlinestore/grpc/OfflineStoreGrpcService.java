package dev.switchboard.offlinestore.grpc;

import dev.switchboard.offlinestore.history.HistoryPage;
import dev.switchboard.offlinestore.history.HistoryService;
import dev.switchboard.offlinestore.sync.ConversationHead;
import dev.switchboard.offlinestore.sync.CursorAdvance;
import dev.switchboard.offlinestore.sync.DeliveryCursors;
import dev.switchboard.offlinestore.sync.DeliveryCursors.AdvanceRequest;
import dev.switchboard.offlinestore.sync.ReadMarks;
import dev.switchboard.offlinestore.sync.SyncCursor;
import dev.switchboard.offlinestore.sync.SyncPage;
import dev.switchboard.offlinestore.sync.SyncService;
import dev.switchboard.proto.internal.AckReceiptsRequest;
import dev.switchboard.proto.internal.AckReceiptsResponse;
import dev.switchboard.proto.internal.AdvanceCursorRequest;
import dev.switchboard.proto.internal.AdvanceCursorResponse;
import dev.switchboard.proto.internal.AdvanceCursorsRequest;
import dev.switchboard.proto.internal.AdvanceCursorsResponse;
import dev.switchboard.proto.internal.HistoryRequest;
import dev.switchboard.proto.internal.HistoryResponse;
import dev.switchboard.proto.internal.IsMemberRequest;
import dev.switchboard.proto.internal.IsMemberResponse;
import dev.switchboard.proto.internal.MarkReadRequest;
import dev.switchboard.proto.internal.MarkReadResponse;
import dev.switchboard.proto.internal.OfflineStoreGrpc;
import dev.switchboard.proto.internal.SyncRequest;
import dev.switchboard.proto.internal.SyncResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The OfflineStore gRPC service: validates each request, calls one domain object, maps the result.
 * No SQL here; failures become statuses in {@link GrpcErrors}, timings per RPC come from {@link
 * RpcMetricsInterceptor}.
 */
public final class OfflineStoreGrpcService extends OfflineStoreGrpc.OfflineStoreImplBase {
  private final SyncService sync;
  private final DeliveryCursors cursors;
  private final ReadMarks readMarks;
  private final HistoryService history;

  /** Items per AdvanceCursors call at most (connectors send up to 500). */
  static final int MAX_ADVANCES = 1_000;

  private final RequestValidator validator = new RequestValidator();

  public OfflineStoreGrpcService(
      SyncService sync, DeliveryCursors cursors, ReadMarks readMarks, HistoryService history) {
    this.sync = sync;
    this.cursors = cursors;
    this.readMarks = readMarks;
    this.history = history;
  }

  @Override
  public void sync(SyncRequest request, StreamObserver<SyncResponse> response) {
    respond(
        "Sync",
        response,
        () -> {
          validator.userId(request.getUserId());
          validator.deviceId(request.getDeviceId());
          validator.notNegative("limit", request.getLimit());
          validator.notNegative("wait_ms", request.getWaitMs());
          Optional<SyncCursor> cursor = validator.cursor(request.getCursor());
          SyncPage page =
              sync.sync(
                  request.getUserId(),
                  request.getDeviceId(),
                  cursor,
                  request.getLimit(),
                  Duration.ofMillis(request.getWaitMs()));
          SyncResponse.Builder answer =
              SyncResponse.newBuilder()
                  .addAllMessages(page.messages())
                  .addAllAcks(page.receipts())
                  .setNextCursor(page.next().encode())
                  .setHasMore(page.hasMore());
          for (ConversationHead head : page.heads()) {
            answer.addHeads(
                dev.switchboard.proto.internal.ConversationHead.newBuilder()
                    .setConversationId(head.conversationId())
                    .setAllocatedSeq(head.allocatedSeq())
                    .setStoredSeq(head.storedSeq())
                    .setDeliveredSeq(head.deliveredSeq()));
          }
          return answer.build();
        });
  }

  @Override
  public void advanceCursor(
      AdvanceCursorRequest request, StreamObserver<AdvanceCursorResponse> response) {
    respond(
        "AdvanceCursor",
        response,
        () -> {
          validator.userId(request.getUserId());
          validator.deviceId(request.getDeviceId());
          validator.conversationId(request.getConversationId());
          validator.positive("delivered_seq", request.getDeliveredSeq());
          CursorAdvance advance =
              cursors.advance(
                  request.getUserId(),
                  request.getDeviceId(),
                  request.getConversationId(),
                  request.getDeliveredSeq());
          return AdvanceCursorResponse.newBuilder()
              .setMember(advance.member())
              .setDeliveredSeq(advance.deliveredSeq())
              .build();
        });
  }

  /**
   * Validated item by item: a malformed one is answered as not recorded (member false) instead of
   * failing the batch, whose other items come from other sessions.
   */
  @Override
  public void advanceCursors(
      AdvanceCursorsRequest request, StreamObserver<AdvanceCursorsResponse> response) {
    respond(
        "AdvanceCursors",
        response,
        () -> {
          if (request.getAdvancesCount() > MAX_ADVANCES) {
            throw new InvalidRequestException(
                "at most "
                    + MAX_ADVANCES
                    + " advances per call, not "
                    + request.getAdvancesCount());
          }
          List<AdvanceRequest> valid = new ArrayList<>(request.getAdvancesCount());
          boolean[] malformed = new boolean[request.getAdvancesCount()];
          for (int i = 0; i < request.getAdvancesCount(); i++) {
            AdvanceCursorRequest item = request.getAdvances(i);
            try {
              validator.userId(item.getUserId());
              validator.deviceId(item.getDeviceId());
              validator.conversationId(item.getConversationId());
              validator.positive("delivered_seq", item.getDeliveredSeq());
              valid.add(
                  new AdvanceRequest(
                      item.getUserId(),
                      item.getDeviceId(),
                      item.getConversationId(),
                      item.getDeliveredSeq()));
            } catch (InvalidRequestException e) {
              malformed[i] = true;
            }
          }
          Iterator<CursorAdvance> done = cursors.advanceAll(valid).iterator();
          AdvanceCursorsResponse.Builder answer = AdvanceCursorsResponse.newBuilder();
          for (boolean bad : malformed) {
            CursorAdvance advance = bad ? CursorAdvance.notMember() : done.next();
            answer.addResults(
                AdvanceCursorResponse.newBuilder()
                    .setMember(advance.member())
                    .setDeliveredSeq(advance.deliveredSeq()));
          }
          return answer.build();
        });
  }

  @Override
  public void ackReceipts(
      AckReceiptsRequest request, StreamObserver<AckReceiptsResponse> response) {
    respond(
        "AckReceipts",
        response,
        () -> {
          validator.userId(request.getUserId());
          validator.deviceId(request.getDeviceId());
          validator.positive("last_receipt_id", request.getLastReceiptId());
          boolean found =
              cursors.ackReceipts(
                  request.getUserId(), request.getDeviceId(), request.getLastReceiptId());
          return AckReceiptsResponse.newBuilder().setFound(found).build();
        });
  }

  @Override
  public void markRead(MarkReadRequest request, StreamObserver<MarkReadResponse> response) {
    respond(
        "MarkRead",
        response,
        () -> {
          validator.userId(request.getUserId());
          validator.conversationId(request.getConversationId());
          validator.positive("seq", request.getSeq());
          OptionalLong read =
              readMarks.markRead(
                  request.getUserId(), request.getConversationId(), request.getSeq());
          return read.isPresent()
              ? MarkReadResponse.newBuilder()
                  .setMember(true)
                  .setLastReadSeq(read.getAsLong())
                  .build()
              : MarkReadResponse.newBuilder().setMember(false).build();
        });
  }

  @Override
  public void history(HistoryRequest request, StreamObserver<HistoryResponse> response) {
    respond(
        "History",
        response,
        () -> {
          validator.conversationId(request.getConversationId());
          validator.notNegative("before_seq", request.getBeforeSeq());
          validator.notNegative("limit", request.getLimit());
          HistoryPage page =
              history.page(request.getConversationId(), request.getBeforeSeq(), request.getLimit());
          return HistoryResponse.newBuilder()
              .addAllMessages(page.messages())
              .setHasMore(page.hasMore())
              .setNextBeforeSeq(page.nextBeforeSeq())
              .build();
        });
  }

  @Override
  public void isMember(IsMemberRequest request, StreamObserver<IsMemberResponse> response) {
    respond(
        "IsMember",
        response,
        () -> {
          validator.userId(request.getUserId());
          validator.conversationId(request.getConversationId());
          return IsMemberResponse.newBuilder()
              .setMember(history.isMember(request.getUserId(), request.getConversationId()))
              .build();
        });
  }

  private static <T> void respond(String rpc, StreamObserver<T> response, Supplier<T> call) {
    T answer;
    try {
      answer = call.get();
    } catch (RuntimeException e) {
      response.onError(GrpcErrors.toStatus(rpc, e).asRuntimeException());
      return;
    }
    response.onNext(answer);
    response.onCompleted();
  }
}
