package dev.switchboard.bench.cli;

import dev.switchboard.bench.load.ChatLoadConfig;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.scenario.BaselineScenario;
import dev.switchboard.bench.scenario.P2pScenario;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "p2p",
    mixinStandardHelpOptions = true,
    description = {
      "1:1 chat between pairs of users over the real system (durability on): delivered msg/s,",
      "SENT and end-to-end latency percentiles, errors, loss, and offline-store's consumer lag."
    })
final class P2pCommand implements Callable<Integer> {
  @Mixin TargetOptions target;
  @Mixin ChatOptions chat;
  @Mixin OutputOptions output;

  @Option(
      names = "--with-baseline",
      description =
          "First run the same load against the in-process relay (see `baseline`) and report the"
              + " system's figures as ratios to it.")
  boolean withBaseline;

  @Spec CommandSpec spec;

  private final PrintStream out;

  P2pCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    ChatLoadConfig load = chat.load(spec);
    return ScenarioRun.execute(
        target,
        output,
        out,
        t -> {
          Report baseline =
              withBaseline ? new BaselineScenario().run(chat.users, load, chat.threads()) : null;
          Report p2p =
              new P2pScenario(t, target.setupConcurrency()).run(chat.users, load, chat.threads());
          if (baseline != null) {
            P2pScenario.compare(p2p, baseline);
          }
          return p2p;
        });
  }
}
