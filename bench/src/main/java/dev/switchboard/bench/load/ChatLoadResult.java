package dev.switchboard.bench.load;

import dev.switchboard.bench.report.LatencySummary;
import java.util.Map;

/**
 * What a chat load measured.
 *
 * @param windowSeconds length of the measured window
 * @param sentInWindow SENT receipts that arrived inside the window
 * @param deliveredInWindow messages surfaced by receivers inside the window
 * @param sentTotal all SENT receipts of the run (warm-up and drain included)
 * @param surfacedTotal all surfaced messages of the run
 * @param sentLatency send → SENT
 * @param endToEnd send → surfaced at the receiver (from the intended send time)
 * @param endToEndFromActualSend the same from the actual send (differs in fixed-rate mode only)
 * @param errors failed send attempts by cause
 * @param givenUp messages that never got SENT within the attempts
 * @param drained whether every SENT message surfaced within the drain timeout
 * @param drainSeconds how long the drain took
 */
public record ChatLoadResult(
    double windowSeconds,
    long sentInWindow,
    long deliveredInWindow,
    long sentTotal,
    long surfacedTotal,
    LatencySummary sentLatency,
    LatencySummary endToEnd,
    LatencySummary endToEndFromActualSend,
    Map<String, Long> errors,
    long givenUp,
    boolean drained,
    double drainSeconds) {

  public double deliveredPerSecond() {
    return windowSeconds <= 0 ? 0 : deliveredInWindow / windowSeconds;
  }

  public double sentPerSecond() {
    return windowSeconds <= 0 ? 0 : sentInWindow / windowSeconds;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
