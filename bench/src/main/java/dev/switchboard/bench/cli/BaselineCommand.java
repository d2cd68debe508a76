package dev.switchboard.bench.cli;

import dev.switchboard.bench.scenario.BaselineScenario;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    description = {
      "The p2p load (same clients, framing, payload) against a minimal in-process Netty relay",
      "without durability: the transport ceiling of this machine. Needs no running system."
    })
final class BaselineCommand implements Callable<Integer> {
  @Mixin ChatOptions chat;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  private final PrintStream out;

  BaselineCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    var load = chat.load(spec);
    return ScenarioRun.finish(
        new BaselineScenario().run(chat.users, load, chat.threads()), output, out);
  }
}
