package dev.switchboard.bench.load;

import dev.switchboard.bench.report.LatencySummary;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import dev.switchboard.proto.ChatMsg;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The receiving side of a run: every surfaced message goes to the {@link DeliveryChecker} (lost,
 * duplicates, order), is counted, and, when its send time is inside the window, its end-to-end
 * latency is recorded: from the intended send time (coordinated-omission corrected in fixed-rate
 * mode) and from the actual send time.
 */
public final class Deliveries implements MessageSink {
  private final DeliveryChecker checker;
  private final Window window;
  private final Recorder fromIntended = newRecorder();
  private final Recorder fromSent = newRecorder();
  private final LongAdder surfaced = new LongAdder();
  private final LongAdder surfacedInWindow = new LongAdder();

  public Deliveries(DeliveryChecker checker, Window window) {
    this.checker = checker;
    this.window = window;
  }

  @Override
  public void onMessage(long userId, String device, ChatMsg m) {
    long now = System.nanoTime();
    checker.surfaced(device, m.getId(), m.getConversationId(), m.getSeq());
    if (m.getFromId() == userId) {
      // The device's own message, back from a sync page before its SENT: not a delivery.
      return;
    }
    surfaced.increment();
    if (window.contains(now)) {
      surfacedInWindow.increment();
    }
    Payload.Stamps stamps = Payload.read(m.getMsgBody());
    if (stamps != null && window.contains(stamps.intendedNanos())) {
      fromIntended.recordValue(micros(now - stamps.intendedNanos()));
      fromSent.recordValue(micros(now - stamps.sentNanos()));
    }
  }

  /** Messages surfaced on a device of their recipient. */
  public long surfaced() {
    return surfaced.sum();
  }

  public long surfacedInWindow() {
    return surfacedInWindow.sum();
  }

  /** End-to-end latency from the intended send time; call once, after the run. */
  public Histogram endToEnd() {
    return fromIntended.getIntervalHistogram();
  }

  /** End-to-end latency from the actual send; call once, after the run. */
  public Histogram endToEndFromActualSend() {
    return fromSent.getIntervalHistogram();
  }

  static Recorder newRecorder() {
    return new Recorder(LatencySummary.MAX_TRACKABLE_MICROS, LatencySummary.SIGNIFICANT_DIGITS);
  }

  static long micros(long nanos) {
    return Math.min(LatencySummary.MAX_TRACKABLE_MICROS, Math.max(0, nanos / 1000));
  }
}
