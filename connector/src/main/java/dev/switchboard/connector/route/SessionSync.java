package dev.switchboard.connector.route;

import dev.switchboard.connector.ConnectorMetrics;
import dev.switchboard.connector.ConnectorMetrics.SyncOutcome;
import dev.switchboard.connector.ConnectorMetrics.SyncTrigger;
import dev.switchboard.connector.session.Frames;
import dev.switchboard.connector.session.Session;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.SyncReq;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's sync with offline-store: the first page right after login, the pages the client
 * asks for (SyncReq), and the cursor moves its receipts carry.
 *
 * <p>No race at login: {@link #start()} is called only once the session's route is registered in
 * user-status. From then on transfer pushes every new message here, so a message accepted around
 * the login is either pushed or already stored and found by the sync; one accepted but not stored
 * yet shows in its conversation head (max_seq, the allocated seq), which makes the client sync
 * again. For the same reason SyncReqs that arrive before that (pipelined behind the LoginReq) are
 * held until the route is registered.
 *
 * <p>When offline-store cannot be asked the client gets Error{UNAVAILABLE}, never an empty page:
 * "nothing to sync" is only said by the store. The session stays usable either way.
 *
 * <p>Confined to the session's event loop, as {@link OrderedChatForwarder}: the methods are called
 * there and the store's answers are brought back there.
 */
public final class SessionSync {
  /** Sync pages one session may have in flight (held ones included); more is flooding. */
  static final int MAX_IN_FLIGHT = 4;

  static final String UNAVAILABLE_MESSAGE = "sync unavailable, retry SyncReq";
  private static final Logger log = LoggerFactory.getLogger(SessionSync.class);

  private final Session session;
  private final SyncSource source;
  private final CursorWriter cursors;
  private final Duration wait;
  private final ConnectorMetrics metrics;
  private final List<Runnable> heldUntilRegistered = new ArrayList<>();

  private boolean registered;
  private int inFlight;

  /**
   * @param wait how long offline-store may wait for accepted messages to be stored before it
   *     answers a page (SyncRequest.wait_ms)
   */
  public SessionSync(
      Session session,
      SyncSource source,
      CursorWriter cursors,
      Duration wait,
      ConnectorMetrics metrics) {
    this.session = session;
    this.source = source;
    this.cursors = cursors;
    this.wait = wait;
    this.metrics = metrics;
  }

  /**
   * The session's route is registered: sends the first page (request_id 0, from the device's
   * cursors), then serves the SyncReqs held so far. Only the first call counts.
   */
  public void start() {
    if (registered) {
      return;
    }
    registered = true;
    inFlight++;
    fetch(0, "", 0, SyncTrigger.LOGIN);
    heldUntilRegistered.forEach(Runnable::run);
    heldUntilRegistered.clear();
  }

  /** A SyncReq of the client. */
  public void request(long requestId, SyncReq req) {
    if (req.getLimit() < 0 || req.getReceiptsThroughId() < 0) {
      refuse(requestId, ErrorCode.INVALID_MESSAGE, "limit and receipts_through_id must be >= 0");
      return;
    }
    if (req.getAckOnly() && req.getReceiptsThroughId() == 0) {
      return; // nothing to acknowledge, and no answer is wanted
    }
    if (inFlight >= MAX_IN_FLIGHT) {
      refuse(
          requestId,
          ErrorCode.RATE_LIMITED,
          "too many sync requests in flight; wait for the answers");
      return;
    }
    inFlight++;
    if (registered) {
      serve(requestId, req);
    } else {
      heldUntilRegistered.add(() -> serve(requestId, req));
    }
  }

  /**
   * A receipt of the client, already forwarded to transfer. A DELIVERED with a watermark moves the
   * device's delivery cursor, coalesced with others by the connector's {@link CursorWriter}; nobody
   * waits for it: if it is written late or not at all, the next sync simply sends those messages
   * again and the client drops the repeats.
   */
  public void delivered(AckMsg ack) {
    long through = ack.getDeliveredThroughSeq();
    String conversationId = ack.getConversationId();
    if (ack.getMsgType() != MsgType.DELIVERED || through <= 0 || conversationId.isEmpty()) {
      return;
    }
    cursors.delivered(session.userId(), session.deviceId(), conversationId, through);
  }

  /** Sync pages in flight, including held ones. */
  public int inFlight() {
    return inFlight;
  }

  private void serve(long requestId, SyncReq req) {
    long receiptsThrough = req.getReceiptsThroughId();
    if (receiptsThrough == 0) {
      fetch(requestId, req.getCursor(), req.getLimit(), SyncTrigger.REQUEST);
      return;
    }
    // Receipts first, so that the page does not carry the ones just acknowledged.
    guarded(() -> source.ackReceipts(session.userId(), session.deviceId(), receiptsThrough))
        .whenCompleteAsync(
            (found, failure) -> {
              metrics.receiptAck(failure == null);
              if (failure != null) {
                log.debug(
                    "receipts of user={} device={} not acknowledged through {}: {}",
                    session.userId(),
                    session.deviceId(),
                    receiptsThrough,
                    RetryingCall.unwrap(failure).toString());
              }
              if (req.getAckOnly()) {
                inFlight--; // no answer wanted; receipts not acknowledged come again
              } else if (failure != null && RetryingCall.isTransportFailure(failure)) {
                inFlight--;
                metrics.sync(SyncTrigger.REQUEST, SyncOutcome.UNAVAILABLE);
                write(Frames.error(ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE, requestId));
              } else {
                fetch(requestId, req.getCursor(), req.getLimit(), SyncTrigger.REQUEST);
              }
            },
            session.channel().eventLoop());
  }

  private void fetch(long requestId, String cursor, int limit, SyncTrigger trigger) {
    guarded(() -> source.sync(session.userId(), session.deviceId(), cursor, limit, wait))
        .whenCompleteAsync(
            (page, failure) -> {
              inFlight--;
              if (failure == null) {
                metrics.sync(trigger, SyncOutcome.SERVED);
                write(Frames.syncResp(page, requestId));
              } else {
                write(failed(requestId, trigger, failure));
              }
            },
            session.channel().eventLoop());
  }

  /** The error a failed page becomes; never an empty SyncResp. */
  private Frame failed(long requestId, SyncTrigger trigger, Throwable failure) {
    Throwable cause = RetryingCall.unwrap(failure);
    if (RetryingCall.isTransportFailure(cause)) {
      metrics.sync(trigger, SyncOutcome.UNAVAILABLE);
      log.debug(
          "sync of user={} device={} unavailable: {}",
          session.userId(),
          session.deviceId(),
          cause.toString());
      return Frames.error(ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE, requestId);
    }
    Status status = Status.fromThrowable(cause);
    if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
      // A cursor the client edited or kept from another pass.
      metrics.sync(trigger, SyncOutcome.REFUSED);
      return Frames.error(
          ErrorCode.INVALID_MESSAGE,
          "sync refused: " + status.getDescription() + "; start again with an empty cursor",
          requestId);
    }
    metrics.sync(trigger, SyncOutcome.FAILED);
    log.warn(
        "sync of user={} device={} failed unexpectedly: {}",
        session.userId(),
        session.deviceId(),
        cause.toString());
    return Frames.error(ErrorCode.INTERNAL, "sync failed, retry SyncReq", requestId);
  }

  private void refuse(long requestId, ErrorCode code, String message) {
    metrics.sync(SyncTrigger.REQUEST, SyncOutcome.REFUSED);
    write(Frames.error(code, message, requestId));
  }

  private void write(Frame frame) {
    if (session.isOpen()) {
      session.write(frame);
    }
  }

  /** A call that throws instead of failing its future still ends up as a failed future. */
  private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
