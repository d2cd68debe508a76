package dev.switchboard.transfer.ops;

import dev.switchboard.proto.ErrorCode;
import dev.switchboard.transfer.relations.RelationCache;
import dev.switchboard.transfer.route.RouteCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/** The meters of a transfer instance, registered once. */
public final class TransferMetrics {
  private final Counter accepted;
  private final Counter duplicates;
  private final Counter receipts;
  private final Counter kafkaFailures;
  private final Counter pushCalls;
  private final Counter pushFailures;
  private final Counter pushesDropped;
  private final Counter presencePublished;
  private final Counter presenceAnnounced;
  private final Counter abandoned;
  private final Counter rejected;
  private final Counter receiptDuplicates;
  private final Counter republished;
  private final Counter marksDropped;
  private final MeterRegistry registry;
  private final Map<ErrorCode, Counter> refused = new EnumMap<>(ErrorCode.class);
  private final Timer sendChatLatency;
  private final Timer sendAckLatency;

  public TransferMetrics(MeterRegistry registry) {
    this.registry = registry;
    accepted =
        Counter.builder("transfer.messages.accepted")
            .description("Chat messages accepted with a new id and seq")
            .register(registry);
    duplicates =
        Counter.builder("transfer.messages.duplicates")
            .description("Resent chat messages answered with their original id and seq")
            .register(registry);
    receipts =
        Counter.builder("transfer.receipts.accepted")
            .description("DELIVERED/READ receipts made durable")
            .register(registry);
    kafkaFailures =
        Counter.builder("transfer.kafka.failures")
            .description("Records the broker did not acknowledge in time")
            .register(registry);
    pushCalls =
        Counter.builder("transfer.push.calls")
            .description("Connector.Deliver calls issued")
            .register(registry);
    pushFailures =
        Counter.builder("transfer.push.failures")
            .description("Route lookups or Deliver calls that failed (recipients sync later)")
            .register(registry);
    pushesDropped =
        Counter.builder("transfer.push.dropped")
            .description("Pushes not attempted because the push lane was full")
            .register(registry);
    presencePublished =
        Counter.builder("transfer.presence.published")
            .description("Session starts and ends reported by connectors (PublishPresence)")
            .register(registry);
    presenceAnnounced =
        Counter.builder("transfer.presence.announced")
            .description("Users that came online or went offline with friends to tell")
            .register(registry);
    abandoned =
        Counter.builder("transfer.calls.abandoned")
            .description("SendChats skipped because the caller cancelled or its deadline passed")
            .register(registry);
    rejected =
        Counter.builder("transfer.calls.rejected")
            .description("Calls refused with RESOURCE_EXHAUSTED: handler threads and queue full")
            .register(registry);
    receiptDuplicates =
        Counter.builder("transfer.receipts.duplicates")
            .description("Repeated SendAcks answered without storing the receipt again")
            .register(registry);
    republished =
        Counter.builder("transfer.outbox.republished")
            .description(
                "Messages re-produced from the outbox because their append was unconfirmed")
            .register(registry);
    marksDropped =
        Counter.builder("transfer.outbox.marks.dropped")
            .description("Published marks not written (the outbox republishes those messages)")
            .register(registry);
    for (ErrorCode code : ErrorCode.values()) {
      if (code != ErrorCode.UNRECOGNIZED && code != ErrorCode.ERROR_CODE_UNSPECIFIED) {
        refused.put(
            code,
            Counter.builder("transfer.requests.refused")
                .description("SendChat/SendAck answered with an Error value")
                .tag("code", code.name())
                .register(registry));
      }
    }
    sendChatLatency =
        Timer.builder("transfer.sendchat.latency")
            .description("SendChat from request to answer")
            .publishPercentileHistogram()
            .register(registry);
    sendAckLatency =
        Timer.builder("transfer.sendack.latency")
            .description("SendAck from request to answer")
            .register(registry);
  }

  public void accepted() {
    accepted.increment();
  }

  public void duplicate() {
    duplicates.increment();
  }

  public void receipt() {
    receipts.increment();
  }

  public void kafkaFailure() {
    kafkaFailures.increment();
  }

  public void pushCall() {
    pushCalls.increment();
  }

  public void pushFailure() {
    pushFailures.increment();
  }

  public void pushDropped() {
    pushesDropped.increment();
  }

  public void presencePublished() {
    presencePublished.increment();
  }

  public void presenceAnnounced() {
    presenceAnnounced.increment();
  }

  /**
   * Meters of the message-policy cache: database reads (each miss is one query), invalidated pairs,
   * and Caffeine's hit/miss/size meters under {@code cache="relations"}.
   */
  public void monitorRelations(RelationCache relations) {
    FunctionCounter.builder("transfer.relations.loads", relations, RelationCache::loads)
        .description("Relation lookups that went to the database (cache misses)")
        .register(registry);
    FunctionCounter.builder(
            "transfer.relations.invalidated", relations, RelationCache::invalidations)
        .description("Pairs dropped from the relation cache by InvalidateRelations")
        .register(registry);
    CaffeineCacheMetrics.monitor(registry, relations.cache(), "relations");
  }

  public void monitorRoutes(RouteCache routes) {
    FunctionCounter.builder("transfer.routes.cache.hits", routes, RouteCache::hits)
        .description("Users whose routes a push took from the route cache")
        .register(registry);
    FunctionCounter.builder("transfer.routes.cache.misses", routes, RouteCache::misses)
        .description("Users whose routes a push had to ask user-status for")
        .register(registry);
    FunctionCounter.builder(
            "transfer.routes.cache.invalidations", routes, RouteCache::invalidations)
        .description("Users dropped from the route cache because user-status announced a change")
        .register(registry);
    Gauge.builder("transfer.routes.cache.live", routes, r -> r.isLive() ? 1 : 0)
        .description("1 while the route-change stream from user-status is open (cache in use)")
        .register(registry);
  }

  public void abandoned() {
    abandoned.increment();
  }

  public void callRejected() {
    rejected.increment();
  }

  public void receiptDuplicate() {
    receiptDuplicates.increment();
  }

  public void republished(int count) {
    republished.increment(count);
  }

  public void outboxMarkDropped() {
    marksDropped.increment();
  }

  public void outboxMarkDropped(int count) {
    marksDropped.increment(count);
  }

  /** Acknowledged messages waiting for their published mark. */
  public void monitorOutbox(IntSupplier pendingMarks) {
    Gauge.builder("transfer.outbox.marks.pending", pendingMarks, IntSupplier::getAsInt)
        .description("Acknowledged messages whose published mark is not written yet")
        .register(registry);
  }

  public void refused(ErrorCode code) {
    Counter counter = refused.get(code);
    if (counter != null) {
      counter.increment();
    }
  }

  public Timer sendChatLatency() {
    return sendChatLatency;
  }

  public Timer sendAckLatency() {
    return sendAckLatency;
  }
}
