package dev.switchboard.bench.load;

import java.time.Duration;

/**
 * How a chat load runs.
 *
 * @param window messages each sender keeps in flight (max-throughput mode)
 * @param ratePerSecond total fixed send rate over all senders; 0 = max-throughput mode
 * @param payloadBytes size of each message body
 * @param warmup sending before the measured window opens
 * @param duration the measured window
 * @param drainTimeout after sending stops, how long to wait for outstanding SENTs and deliveries
 * @param maxAttempts sends of one client_msg_id before it counts as given up (a retry after a
 *     timeout or UNAVAILABLE reuses the id, so it never makes a second message)
 */
public record ChatLoadConfig(
    int window,
    double ratePerSecond,
    int payloadBytes,
    Duration warmup,
    Duration duration,
    Duration drainTimeout,
    int maxAttempts) {

  public ChatLoadConfig {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1");
    }
    if (ratePerSecond < 0) {
      throw new IllegalArgumentException("rate must be >= 0");
    }
    if (payloadBytes < 40) {
      throw new IllegalArgumentException("payload must be >= 40 bytes (it carries two timestamps)");
    }
  }

  public boolean fixedRate() {
    return ratePerSecond > 0;
  }
}
