package dev.switchboard.client.sync;

import dev.switchboard.client.inbound.RecentIds;
import dev.switchboard.client.retry.Backoff;
import dev.switchboard.client.retry.TaskScheduler;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ConversationHead;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.SyncReq;
import dev.switchboard.proto.SyncResp;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when the client sends {@code SyncReq} and with what; the messages and receipts of the
 * pages themselves are handled by the client (dedup, order, DELIVERED) before it calls {@link
 * #onPage}.
 *
 * <p>A <em>pass</em> starts with an empty cursor (from the device's delivery cursors) and follows
 * {@code next_cursor} while {@code has_more}. The connector starts the first pass by itself right
 * after login (a page with request_id 0); the client starts one
 *
 * <ul>
 *   <li>on {@link #request} (a seq gap, a conversation whose start the client does not know),
 *   <li>after a short, growing delay when a pass ended with a head above what the client holds
 *       contiguously: the message was accepted (SENT) but not stored yet, the race of the
 *       architecture document (a later seq would never reveal it when it was the last message),
 *   <li>when nothing arrived for {@link SyncPolicy#idleInterval()}.
 * </ul>
 *
 * <p>A request while a pass runs is remembered and served by one more pass right after it, never by
 * two concurrent ones. Receipts are acknowledged with the id of the last one processed: on the next
 * page request, or with an {@code ack_only} SyncReq when the pass is over.
 *
 * <p>Confined to the client's event loop: every method, and every task it schedules through the
 * {@link TaskScheduler}, runs there.
 */
public final class SyncDriver {

  private static final Logger log = LoggerFactory.getLogger(SyncDriver.class);

  /** Where the driver's requests go. */
  @FunctionalInterface
  public interface Output {
    /** Writes {@code request} in a frame with {@code requestId}; false if not connected. */
    boolean send(long requestId, SyncReq request);
  }

  private enum State {
    DISCONNECTED,
    /** Logged in; the connector's own first page (request_id 0) is on its way. */
    AWAITING_FIRST_PAGE,
    IDLE,
    IN_FLIGHT
  }

  /**
   * Told when a pass begins and when it ends with its last page processed (abandoned passes end
   * silently: the next begin replaces them). Passes never overlap.
   */
  public interface PassListener {
    PassListener NONE = new PassListener() {};

    default void passStarted() {}

    default void passCompleted() {}
  }

  private final SyncPolicy policy;
  private final Duration requestTimeout;
  private final TaskScheduler scheduler;
  private final InstantSource clock;
  private final LongSupplier requestIds;
  private final ToLongFunction<String> heldThrough;
  private final Output out;
  private final PassListener passes;
  private final Backoff retryBackoff;
  private final RecentIds ownRequestIds = new RecentIds(64);
  private final Map<String, Long> passHeads = new HashMap<>();

  private State state = State.DISCONNECTED;
  private long inFlightId;
  private boolean again;
  private boolean unsupported;
  private long receiptsToAck;
  private int retryAttempt;
  private long lastActivityMillis;
  private long passesStarted;
  private Future<?> requestTimer;
  private Future<?> retryTimer;
  private Future<?> idleTimer;

  /**
   * @param requestTimeout how long a page (and the connector's first one) may take before the pass
   *     counts as failed and is retried
   * @param requestIds the client's frame request ids
   * @param heldThrough per conversation, the highest seq up to which the client holds every message
   *     (0 if it does not know)
   */
  public SyncDriver(
      SyncPolicy policy,
      Duration requestTimeout,
      TaskScheduler scheduler,
      InstantSource clock,
      LongSupplier requestIds,
      ToLongFunction<String> heldThrough,
      Output out) {
    this(policy, requestTimeout, scheduler, clock, requestIds, heldThrough, out, PassListener.NONE);
  }

  /** As above, with a listener for the passes' beginning and end. */
  public SyncDriver(
      SyncPolicy policy,
      Duration requestTimeout,
      TaskScheduler scheduler,
      InstantSource clock,
      LongSupplier requestIds,
      ToLongFunction<String> heldThrough,
      Output out,
      PassListener passes) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.requestIds = Objects.requireNonNull(requestIds, "requestIds");
    this.heldThrough = Objects.requireNonNull(heldThrough, "heldThrough");
    this.out = Objects.requireNonNull(out, "out");
    this.passes = Objects.requireNonNull(passes, "passes");
    // Plain doubling: only this client retries, nobody to spread out from.
    this.retryBackoff = new Backoff(policy.headRetryDelay(), policy.headRetryMaxDelay());
  }

  // ---- connection life -------------------------------------------------------------------------

  /** A login succeeded: the connector's first page is expected, the idle timer starts. */
  public void onConnected() {
    cancelTimers();
    state = State.AWAITING_FIRST_PAGE;
    inFlightId = 0;
    again = false;
    unsupported = false;
    retryAttempt = 0;
    passHeads.clear();
    lastActivityMillis = clock.millis();
    passes.passStarted(); // the connector's own, answered by the page with request_id 0
    // A connector that does not start the pass (older, or the page got lost): start it ourselves.
    requestTimer = scheduler.schedule(this::firstPageMissing, requestTimeout);
    armIdle(policy.idleInterval());
  }

  /**
   * The connection ended: nothing is in flight any more. Receipts not acknowledged yet stay pending
   * for the next connection.
   */
  public void onDisconnected() {
    cancelTimers();
    state = State.DISCONNECTED;
    inFlightId = 0;
    again = false;
    retryAttempt = 0;
    passHeads.clear();
  }

  // ---- triggers --------------------------------------------------------------------------------

  /**
   * Asks for a pass now (a seq gap, an unknown conversation start): started at once when none runs,
   * otherwise right after the current one. Ignored while disconnected.
   */
  public void request(String reason) {
    switch (state) {
      case DISCONNECTED -> {}
      case IDLE -> {
        TaskScheduler.cancel(retryTimer);
        retryTimer = null;
        startPass(reason);
      }
      case AWAITING_FIRST_PAGE, IN_FLIGHT -> again = true;
    }
  }

  /** Something arrived from the server (message, receipt, page): the idle timer starts over. */
  public void onActivity() {
    lastActivityMillis = clock.millis();
  }

  // ---- answers ---------------------------------------------------------------------------------

  /**
   * A page arrived and its messages and receipts were processed (so the heads' conversations are as
   * complete as this page can make them). Requests the next page, or ends the pass: acknowledges
   * the receipts and checks the heads.
   *
   * @param requestId the frame's request id; 0 for a page the connector sent by itself
   */
  public void onPage(long requestId, SyncResp page) {
    onActivity();
    if (page.getAcksCount() > 0) {
      AckMsg last = page.getAcks(page.getAcksCount() - 1);
      if (last.getId() != 0) {
        receiptsToAck = last.getId(); // pages are in receipt order: this covers the ones before
      }
    }
    boolean current =
        state == State.IN_FLIGHT
            ? requestId == inFlightId
            : requestId == 0 && (state == State.AWAITING_FIRST_PAGE || state == State.IDLE);
    if (!current) {
      // A late answer to a pass given up on, or a page of a pass the connector started while ours
      // runs: its content counted, the running pass covers the rest.
      if (state == State.IDLE) {
        flushReceipts();
      }
      return;
    }
    TaskScheduler.cancel(requestTimer);
    requestTimer = null;
    for (ConversationHead head : page.getHeadsList()) {
      passHeads.merge(head.getConversationId(), head.getMaxSeq(), Math::max);
    }
    if (page.getHasMore() && !page.getNextCursor().isEmpty()) {
      SyncReq next =
          SyncReq.newBuilder()
              .setCursor(page.getNextCursor())
              .setLimit(policy.pageSize())
              .setReceiptsThroughId(receiptsToAck)
              .build();
      sendInPass(next, "next page");
      return;
    }
    endPass();
  }

  /**
   * An Error frame arrived; returns true if it answered one of this driver's requests (then it is
   * handled here and the application does not need to hear it). UNSUPPORTED (a connector without
   * sync) stops syncing on this connection; other codes are retried with backoff.
   */
  public boolean onError(long requestId, ErrorCode code) {
    if (requestId == 0 || !ownRequestIds.contains(requestId)) {
      return false;
    }
    boolean ofThePass = state == State.IN_FLIGHT && requestId == inFlightId;
    if (code == ErrorCode.UNSUPPORTED) {
      if (!unsupported) {
        log.info("the connector does not serve sync; syncing stays off on this connection");
      }
      unsupported = true;
    }
    if (ofThePass) {
      TaskScheduler.cancel(requestTimer);
      requestTimer = null;
      state = State.IDLE;
      inFlightId = 0;
      again = false;
      passHeads.clear();
      if (!unsupported) {
        scheduleRetry("sync refused with " + code);
      }
    }
    return true;
  }

  // ---- state for tests and diagnostics ---------------------------------------------------------

  /** True while a pass waits for a page. */
  public boolean passInProgress() {
    return state == State.IN_FLIGHT || state == State.AWAITING_FIRST_PAGE;
  }

  /** Passes this driver started itself (not counting the connector's own). */
  public long passesStarted() {
    return passesStarted;
  }

  /** The id of the last processed receipt not acknowledged yet, 0 if none. */
  public long receiptsToAck() {
    return receiptsToAck;
  }

  // ---- internals -------------------------------------------------------------------------------

  private void firstPageMissing() {
    requestTimer = null;
    if (state == State.AWAITING_FIRST_PAGE) {
      log.debug("no sync page from the connector after login; asking for one");
      state = State.IDLE;
      again = false;
      startPass("no first page after login");
    }
  }

  private void startPass(String reason) {
    if (unsupported) {
      return;
    }
    passHeads.clear();
    SyncReq first =
        SyncReq.newBuilder()
            .setLimit(policy.pageSize())
            .setReceiptsThroughId(receiptsToAck)
            .build();
    if (sendInPass(first, reason)) {
      passesStarted++;
      passes.passStarted();
    }
  }

  /** Sends a page request of the pass; false (and the pass is off) if not connected. */
  private boolean sendInPass(SyncReq request, String why) {
    long id = requestIds.getAsLong();
    ownRequestIds.add(id);
    if (!out.send(id, request)) {
      state = State.IDLE;
      inFlightId = 0;
      return false;
    }
    log.debug("SyncReq {} ({})", id, why);
    if (request.getReceiptsThroughId() != 0) {
      receiptsToAck = 0;
    }
    state = State.IN_FLIGHT;
    inFlightId = id;
    TaskScheduler.cancel(requestTimer);
    requestTimer = scheduler.schedule(() -> requestTimedOut(id), requestTimeout);
    return true;
  }

  private void requestTimedOut(long id) {
    if (state != State.IN_FLIGHT || inFlightId != id) {
      return;
    }
    requestTimer = null;
    log.debug("no answer to SyncReq {} within {}ms", id, requestTimeout.toMillis());
    state = State.IDLE;
    inFlightId = 0;
    again = false;
    passHeads.clear();
    scheduleRetry("no answer to a sync page request");
  }

  private void endPass() {
    state = State.IDLE;
    inFlightId = 0;
    passes.passCompleted();
    if (again) {
      again = false;
      startPass("requested while the last pass ran");
      return;
    }
    flushReceipts();
    checkHeads();
  }

  private void flushReceipts() {
    if (receiptsToAck == 0 || unsupported) {
      return;
    }
    long id = requestIds.getAsLong();
    ownRequestIds.add(id);
    SyncReq ack = SyncReq.newBuilder().setReceiptsThroughId(receiptsToAck).setAckOnly(true).build();
    if (out.send(id, ack)) {
      log.debug("receipts acknowledged through {}", receiptsToAck);
      receiptsToAck = 0;
    }
  }

  /**
   * A head above what the client holds means a message was accepted that this device has not got:
   * not stored yet, or lost on the way. Sync again soon, with a growing delay, a bounded number of
   * times.
   */
  private void checkHeads() {
    List<String> behind = new ArrayList<>();
    for (Map.Entry<String, Long> head : passHeads.entrySet()) {
      long maxSeq = head.getValue();
      if (maxSeq > 0 && maxSeq > heldThrough.applyAsLong(head.getKey())) {
        behind.add(head.getKey() + "@" + maxSeq);
      }
    }
    passHeads.clear();
    if (behind.isEmpty()) {
      retryAttempt = 0;
      return;
    }
    scheduleRetry("heads above what is held: " + behind);
  }

  private void scheduleRetry(String reason) {
    if (retryAttempt >= policy.headRetryAttempts()) {
      log.info(
          "sync still incomplete after {} retries ({}); waiting for the next gap or idle sync",
          retryAttempt,
          reason);
      retryAttempt = 0;
      return;
    }
    Duration delay = retryBackoff.ceiling(retryAttempt++);
    log.debug("sync again in {}ms: {}", delay.toMillis(), reason);
    TaskScheduler.cancel(retryTimer);
    retryTimer =
        scheduler.schedule(
            () -> {
              retryTimer = null;
              request(reason);
            },
            delay);
  }

  private void armIdle(Duration delay) {
    if (policy.idleInterval().isZero()) {
      return;
    }
    idleTimer = scheduler.schedule(this::idleTick, delay);
  }

  private void idleTick() {
    idleTimer = null;
    if (state == State.DISCONNECTED) {
      return;
    }
    long interval = policy.idleInterval().toMillis();
    long quiet = clock.millis() - lastActivityMillis;
    if (quiet >= interval) {
      if (state == State.IDLE) {
        request("idle for " + quiet + "ms");
      }
      armIdle(policy.idleInterval());
    } else {
      armIdle(Duration.ofMillis(interval - quiet));
    }
  }

  private void cancelTimers() {
    TaskScheduler.cancel(requestTimer);
    TaskScheduler.cancel(retryTimer);
    TaskScheduler.cancel(idleTimer);
    requestTimer = null;
    retryTimer = null;
    idleTimer = null;
  }
}
