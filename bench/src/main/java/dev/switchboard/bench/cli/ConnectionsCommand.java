package dev.switchboard.bench.cli;

import dev.switchboard.bench.scenario.ConnectionsScenario;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "connections",
    mixinStandardHelpOptions = true,
    description = {
      "N idle authenticated connections on one connector, kept alive by heartbeats, while a few",
      "pairs chat: logins/s, connector heap and RSS per connection, drops, chat loss."
    })
final class ConnectionsCommand implements Callable<Integer> {
  @Mixin TargetOptions target;
  @Mixin TokenOptions tokenOptions;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--connections",
      defaultValue = "10000",
      description = "Idle connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--users",
      defaultValue = "100",
      description =
          "Users the idle connections belong to, each with many devices (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--chat-pairs",
      defaultValue = "4",
      description = "SDK pairs chatting meanwhile (default: ${DEFAULT-VALUE}).")
  int chatPairs;

  @Option(
      names = "--chat-rate",
      defaultValue = "50",
      description = "Their total msg/s (default: ${DEFAULT-VALUE}).")
  double chatRate;

  @Option(
      names = "--concurrency",
      defaultValue = "500",
      description = "Logins in flight while opening (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--per-source-address",
      defaultValue = "20000",
      description =
          "Connections per 127.x.y.z source address, below the ephemeral port range (default: ${DEFAULT-VALUE}).")
  int perSourceAddress;

  @Option(
      names = "--hold",
      defaultValue = "35s",
      converter = DurationConverter.class,
      description =
          "How long to keep them open, at least one heartbeat interval (default: ${DEFAULT-VALUE}).")
  Duration hold;

  @Option(
      names = "--connector",
      converter = HostPortConverter.class,
      description =
          "host:port of the connector to load (default: the one account-api assigns the first chat user).")
  InetSocketAddress connector;

  @Option(
      names = "--server-pid",
      description = "The connector's pid (default: the local process listening on its port).")
  Long serverPid;

  @Option(
      names = "--io-threads",
      defaultValue = "2",
      description = "Event loops of the idle clients (default: ${DEFAULT-VALUE}).")
  int ioThreads;

  private final PrintStream out;

  ConnectionsCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (connections < 1 || users < 1 || chatPairs < 1 || concurrency < 1 || ioThreads < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--connections, --users, --chat-pairs, --concurrency and --io-threads must be >= 1");
    }
    if (chatRate <= 0) {
      throw new ParameterException(spec.commandLine(), "--chat-rate must be positive");
    }
    if (perSourceAddress < 1 || perSourceAddress > 28_000) {
      throw new ParameterException(spec.commandLine(), "--per-source-address must be 1..28000");
    }
    var config =
        new ConnectionsScenario.Config(
            connections,
            users,
            chatPairs,
            chatRate,
            concurrency,
            perSourceAddress,
            hold,
            Optional.ofNullable(connector),
            serverPid == null ? OptionalLong.empty() : OptionalLong.of(serverPid),
            ioThreads);
    return ScenarioRun.execute(
        target,
        output,
        out,
        t ->
            new ConnectionsScenario(t, target.setupConcurrency(), tokenOptions.tokens(t))
                .run(config));
  }
}
