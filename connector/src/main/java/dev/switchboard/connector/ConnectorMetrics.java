package dev.switchboard.connector;

import dev.switchboard.connector.session.SessionTable;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The connector's meters. Counters are created once per tag value up front, so that counting a
 * frame is an array-map lookup and an add, not a registry lookup.
 */
public final class ConnectorMetrics {
  private final Map<Frame.BodyCase, Counter> framesIn = new EnumMap<>(Frame.BodyCase.class);
  private final Map<Frame.BodyCase, Counter> framesOut = new EnumMap<>(Frame.BodyCase.class);
  private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
  private final Map<ErrorCode, Counter> loginsRefused = new EnumMap<>(ErrorCode.class);
  private final Counter loginsAccepted;
  private final Map<SyncTrigger, Map<SyncOutcome, Counter>> syncs =
      new EnumMap<>(SyncTrigger.class);
  private final Counter receiptAcksOk;
  private final Counter receiptAcksFailed;
  private final Counter cursorAdvancesOk;
  private final Counter cursorAdvancesFailed;

  /** What started a sync: the login itself, or a SyncReq of the client. */
  public enum SyncTrigger {
    LOGIN,
    REQUEST
  }

  /** How a sync ended for the client. */
  public enum SyncOutcome {
    /** A SyncResp was sent. */
    SERVED,
    /** offline-store could not be reached; the client got Error{UNAVAILABLE}. */
    UNAVAILABLE,
    /** The request was refused as invalid or rate limited. */
    REFUSED,
    /** offline-store failed unexpectedly; the client got Error{INTERNAL}. */
    FAILED
  }

  public ConnectorMetrics(MeterRegistry registry, SessionTable sessions) {
    Gauge.builder("connector.sessions", sessions, SessionTable::size)
        .description("Logged-in sessions on this connector")
        .register(registry);
    for (Frame.BodyCase type : Frame.BodyCase.values()) {
      String tag = type.name().toLowerCase(Locale.ROOT);
      framesIn.put(
          type,
          Counter.builder("connector.frames.in")
              .description("Frames received from clients")
              .tag("type", tag)
              .register(registry));
      framesOut.put(
          type,
          Counter.builder("connector.frames.out")
              .description("Frames written to clients")
              .tag("type", tag)
              .register(registry));
    }
    for (ErrorCode code : ErrorCode.values()) {
      if (code == ErrorCode.UNRECOGNIZED) {
        continue;
      }
      String tag = code.name().toLowerCase(Locale.ROOT);
      errors.put(
          code,
          Counter.builder("connector.errors")
              .description("Error frames written to clients")
              .tag("code", tag)
              .register(registry));
      loginsRefused.put(
          code,
          Counter.builder("connector.logins")
              .description("Login attempts")
              .tag("outcome", "refused")
              .tag("reason", tag)
              .register(registry));
    }
    loginsAccepted =
        Counter.builder("connector.logins")
            .description("Login attempts")
            .tag("outcome", "accepted")
            .tag("reason", "none")
            .register(registry);
    for (SyncTrigger trigger : SyncTrigger.values()) {
      Map<SyncOutcome, Counter> byOutcome = new EnumMap<>(SyncOutcome.class);
      for (SyncOutcome outcome : SyncOutcome.values()) {
        byOutcome.put(
            outcome,
            Counter.builder("connector.syncs")
                .description("Sync pages asked of offline-store for clients")
                .tag("trigger", trigger.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry));
      }
      syncs.put(trigger, byOutcome);
    }
    receiptAcksOk =
        outcomeCounter(registry, "connector.receipt.acks", "Receipt cursor moves", "ok");
    receiptAcksFailed =
        outcomeCounter(registry, "connector.receipt.acks", "Receipt cursor moves", "failed");
    cursorAdvancesOk =
        outcomeCounter(
            registry, "connector.cursor.advances", "Delivery cursor moves on DELIVERED", "ok");
    cursorAdvancesFailed =
        outcomeCounter(
            registry, "connector.cursor.advances", "Delivery cursor moves on DELIVERED", "failed");
  }

  private static Counter outcomeCounter(
      MeterRegistry registry, String name, String description, String outcome) {
    return Counter.builder(name)
        .description(description)
        .tag("outcome", outcome)
        .register(registry);
  }

  public void frameIn(Frame frame) {
    framesIn.get(frame.getBodyCase()).increment();
  }

  public void frameOut(Frame frame) {
    framesOut.get(frame.getBodyCase()).increment();
    if (frame.hasError()) {
      Counter counter = errors.get(frame.getError().getCode());
      if (counter != null) {
        counter.increment();
      }
    }
  }

  public void loginAccepted() {
    loginsAccepted.increment();
  }

  public void loginRefused(ErrorCode code) {
    Counter counter = loginsRefused.get(code);
    if (counter != null) {
      counter.increment();
    }
  }

  public void sync(SyncTrigger trigger, SyncOutcome outcome) {
    syncs.get(trigger).get(outcome).increment();
  }

  /** An AckReceipts call (receipts_through_id of a SyncReq) succeeded or failed. */
  public void receiptAck(boolean ok) {
    (ok ? receiptAcksOk : receiptAcksFailed).increment();
  }

  /** An AdvanceCursors call of {@code count} watermarks (DELIVERED) succeeded or failed. */
  public void cursorAdvances(boolean ok, int count) {
    (ok ? cursorAdvancesOk : cursorAdvancesFailed).increment(count);
  }
}
