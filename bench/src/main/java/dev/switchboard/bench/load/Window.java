package dev.switchboard.bench.load;

/**
 * The measured part of a run, in {@link System#nanoTime()}: samples whose (intended) send time
 * falls inside count, warm-up and drain do not. Open until {@link #close}.
 */
public final class Window {
  private volatile long startNanos = Long.MAX_VALUE;
  private volatile long endNanos = Long.MAX_VALUE;

  public void open(long nanos) {
    startNanos = nanos;
  }

  public void close(long nanos) {
    endNanos = nanos;
  }

  public boolean contains(long nanos) {
    return nanos >= startNanos && nanos < endNanos;
  }

  public double seconds() {
    return (endNanos - startNanos) / 1e9;
  }
}
