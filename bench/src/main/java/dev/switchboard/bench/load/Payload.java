package dev.switchboard.bench.load;

/**
 * The message body: {@code <intended send nanos>:<actual send nanos>:} padded with 'x' to the
 * configured size. Sender and receiver are in the same JVM, so {@link System#nanoTime()} stamps
 * compare directly and end-to-end latency needs no clock sync. The intended time is the slot the
 * fixed-rate schedule gave the message; measuring from it, not from when the send actually
 * happened, is what corrects for coordinated omission.
 */
public final class Payload {
  private Payload() {}

  public static String body(long intendedNanos, long sentNanos, int size) {
    StringBuilder b = new StringBuilder(Math.max(size, 40));
    b.append(intendedNanos).append(':').append(sentNanos).append(':');
    while (b.length() < size) {
      b.append('x');
    }
    return b.toString();
  }

  /** The stamps of a body, or null when it is not a benchmark body. */
  public static Stamps read(String body) {
    int first = body.indexOf(':');
    int second = first < 0 ? -1 : body.indexOf(':', first + 1);
    if (second < 0) {
      return null;
    }
    try {
      return new Stamps(
          Long.parseLong(body, 0, first, 10), Long.parseLong(body, first + 1, second, 10));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public record Stamps(long intendedNanos, long sentNanos) {}
}
