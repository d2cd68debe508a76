package dev.switchboard.bench.cli;

import dev.switchboard.bench.scenario.OfflineSyncScenario;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "offline-sync",
    mixinStandardHelpOptions = true,
    description = {
      "One device offline while M messages arrive, then it logs in: time to fully synced and",
      "msgs/s through the SDK (sync pages, dedup, order, DELIVERED)."
    })
final class OfflineSyncCommand implements Callable<Integer> {
  @Mixin TargetOptions target;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--messages",
      defaultValue = "10000",
      description = "Messages while offline (default: ${DEFAULT-VALUE}).")
  long messages;

  @Option(
      names = "--senders",
      defaultValue = "4",
      description = "Users writing them (default: ${DEFAULT-VALUE}).")
  int senders;

  @Option(
      names = "--window",
      defaultValue = "16",
      description = "In flight per sender (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--payload",
      defaultValue = "100",
      description = "Body bytes, >= 40 (default: ${DEFAULT-VALUE}).")
  int payload;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      converter = DurationConverter.class,
      description = "Bound on each phase (fill, ingest, sync; default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--io-threads",
      defaultValue = "1",
      description = "Client event loops (default: ${DEFAULT-VALUE}).")
  int ioThreads;

  private final PrintStream out;

  OfflineSyncCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (messages < 1 || senders < 1 || window < 1 || ioThreads < 1) {
      throw new ParameterException(
          spec.commandLine(), "--messages, --senders, --window, --io-threads must be >= 1");
    }
    if (payload < 40) {
      throw new ParameterException(spec.commandLine(), "--payload must be >= 40");
    }
    return ScenarioRun.execute(
        target,
        output,
        out,
        t ->
            new OfflineSyncScenario(t, target.setupConcurrency())
                .run(messages, senders, window, payload, timeout, ioThreads));
  }
}
