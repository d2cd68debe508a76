package dev.switchboard.bench.cli;

import dev.switchboard.bench.load.ChatLoadConfig;
import dev.switchboard.bench.load.ChatRun;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The chat load of {@code p2p} and {@code baseline}. */
public final class ChatOptions {
  @Option(
      names = "--users",
      description = "Users, in pairs that write to each other (even; default: ${DEFAULT-VALUE}).",
      defaultValue = "200")
  int users;

  @Option(
      names = "--window",
      description =
          "Messages each user keeps in flight in max-throughput mode (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int window;

  @Option(
      names = "--rate",
      description =
          "Fixed total send rate in msg/s over all users (latency corrected for coordinated"
              + " omission); 0 = max-throughput (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  double rate;

  @Option(
      names = "--payload",
      description = "Message body size in bytes, >= 40 (default: ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int payload;

  @Option(
      names = "--warmup",
      description = "Sending before the measured window (default: ${DEFAULT-VALUE}).",
      defaultValue = "10s",
      converter = DurationConverter.class)
  Duration warmup;

  @Option(
      names = "--duration",
      description = "The measured window (default: ${DEFAULT-VALUE}).",
      defaultValue = "60s",
      converter = DurationConverter.class)
  Duration duration;

  @Option(
      names = "--drain-timeout",
      description =
          "Wait for outstanding SENTs and deliveries after sending; longer than the SDK's 60 s idle"
              + " sync, which brings a message whose push was lost (default: ${DEFAULT-VALUE}).",
      defaultValue = "90s",
      converter = DurationConverter.class)
  Duration drainTimeout;

  @Option(
      names = "--io-threads",
      description =
          "Event loop threads of the load generator's clients (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int ioThreads;

  @Option(
      names = "--callback-threads",
      description = "Callback threads of the load generator's clients (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int callbackThreads;

  ChatLoadConfig load(CommandSpec spec) {
    if (users < 2 || users % 2 != 0) {
      throw new ParameterException(
          spec.commandLine(), "--users must be even and >= 2, got " + users);
    }
    if (ioThreads < 1 || callbackThreads < 1) {
      throw new ParameterException(
          spec.commandLine(), "--io-threads and --callback-threads must be >= 1");
    }
    if (duration.isZero() || duration.isNegative() || warmup.isNegative()) {
      throw new ParameterException(
          spec.commandLine(), "--duration must be positive, --warmup not negative");
    }
    try {
      return new ChatLoadConfig(window, rate, payload, warmup, duration, drainTimeout, 5);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  ChatRun.Threads threads() {
    return new ChatRun.Threads(ioThreads, callbackThreads);
  }
}
