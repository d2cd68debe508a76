package dev.switchboard.bench.cli;

import dev.switchboard.bench.scenario.LoginStormScenario;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "login-storm",
    mixinStandardHelpOptions = true,
    description = {
      "K clients holding tokens connect and log in to one connector at once (the reconnect",
      "storm after a connector dies): logins/s and time to logged-in percentiles."
    })
final class LoginStormCommand implements Callable<Integer> {
  @Mixin TargetOptions target;
  @Mixin TokenOptions tokenOptions;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--clients",
      defaultValue = "10000",
      description = "Clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--users",
      defaultValue = "100",
      description = "Users they belong to, as many devices each (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--concurrency",
      defaultValue = "0",
      description = "Logins in flight; 0 = all at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--per-source-address",
      defaultValue = "20000",
      description = "Connections per 127.x.y.z source address (default: ${DEFAULT-VALUE}).")
  int perSourceAddress;

  @Option(
      names = "--connector",
      converter = HostPortConverter.class,
      description = "host:port of the connector (default: the one account-api assigns).")
  InetSocketAddress connector;

  @Option(
      names = "--io-threads",
      defaultValue = "2",
      description = "Client event loops (default: ${DEFAULT-VALUE}).")
  int ioThreads;

  @Option(
      names = "--warmup-clients",
      defaultValue = "2000",
      description = {
        "Clients of a warm-up storm before the measured one, not counted; 0 = none",
        "(default: ${DEFAULT-VALUE})."
      })
  int warmupClients;

  private final PrintStream out;

  LoginStormCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || users < 1 || concurrency < 0 || ioThreads < 1 || warmupClients < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--clients, --users, --io-threads must be >= 1, --concurrency and --warmup-clients >= 0");
    }
    if (perSourceAddress < 1 || perSourceAddress > 28_000) {
      throw new ParameterException(spec.commandLine(), "--per-source-address must be 1..28000");
    }
    int inFlight = concurrency == 0 ? clients : concurrency;
    return ScenarioRun.execute(
        target,
        output,
        out,
        t ->
            new LoginStormScenario(t, target.setupConcurrency(), tokenOptions.tokens(t))
                .run(
                    clients,
                    users,
                    inFlight,
                    perSourceAddress,
                    Optional.ofNullable(connector),
                    ioThreads,
                    warmupClients));
  }
}
