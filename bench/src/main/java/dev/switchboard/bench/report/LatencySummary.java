package dev.switchboard.bench.report;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram, in milliseconds. Histograms record microseconds: enough
 * resolution for loopback round trips, and an hour fits with three significant digits.
 */
public record LatencySummary(
    long count,
    double meanMs,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double p999Ms,
    double maxMs) {

  /** Highest value a latency histogram tracks: one hour in microseconds. */
  public static final long MAX_TRACKABLE_MICROS = 3_600_000_000L;

  public static final int SIGNIFICANT_DIGITS = 3;

  public static Histogram newHistogram() {
    return new Histogram(MAX_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
  }

  public static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(
        micros.getTotalCount(),
        ms(micros.getMean()),
        ms(micros.getValueAtPercentile(50)),
        ms(micros.getValueAtPercentile(95)),
        ms(micros.getValueAtPercentile(99)),
        ms(micros.getValueAtPercentile(99.9)),
        ms(micros.getMaxValue()));
  }

  private static double ms(double micros) {
    return Math.round(micros) / 1000.0;
  }

  /** One table cell: {@code p50 1.2 p95 … max … ms (n=…)}. */
  public String toCell() {
    if (count == 0) {
      return "no samples";
    }
    return String.format(
        "p50 %s  p95 %s  p99 %s  p999 %s  max %s ms  (n=%d)",
        fmt(p50Ms), fmt(p95Ms), fmt(p99Ms), fmt(p999Ms), fmt(maxMs), count);
  }

  static String fmt(double ms) {
    return ms >= 100
        ? String.format("%.0f", ms)
        : ms >= 10 ? String.format("%.1f", ms) : String.format("%.2f", ms);
  }
}
