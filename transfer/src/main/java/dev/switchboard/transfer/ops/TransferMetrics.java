package dev.switchboard.transfer.ops;

import dev.switchboard.proto.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/** The meters of a transfer instance, registered once. */
public final class TransferMetrics {
  private final Counter accepted;
  private final Counter duplicates;
  private final Counter receipts;
  private final Counter kafkaFailures;
  private final Counter pushCalls;
  private final Counter pushFailures;
  private final Counter pushesDropped;
  private final Map<ErrorCode, Counter> refused = new EnumMap<>(ErrorCode.class);
  private final Timer sendChatLatency;
  private final Timer sendAckLatency;

  public TransferMetrics(MeterRegistry registry) {
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
