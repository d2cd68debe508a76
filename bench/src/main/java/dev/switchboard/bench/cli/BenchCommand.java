package dev.switchboard.bench.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bench} command and its scenarios. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Switchboard benchmarks against a running system (./im up, or --api URL, or --in-process).",
      "Each run prints a table; --out file.json writes configuration, machine and every figure."
    },
    subcommands = {CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
  private final PrintStream out;

  private BenchCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(out);
  }

  /** The command line with every scenario; errors print the message, not a stack trace. */
  public static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl =
        new CommandLine(new BenchCommand(out))
            .addSubcommand("p2p", new P2pCommand(out))
            .addSubcommand("connections", new ConnectionsCommand(out))
            .addSubcommand("login-storm", new LoginStormCommand(out))
            .addSubcommand("offline-sync", new OfflineSyncCommand(out))
            .addSubcommand("baseline", new BaselineCommand(out))
            .addSubcommand("jmh", new JmhCommand());
    cl.getSubcommands().get("jmh").setStopAtUnmatched(true); // JMH's own options, in order
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof IllegalArgumentException) {
            cmd.getErr().println("bench: " + e.getMessage());
            return 2;
          }
          cmd.getErr().println("bench: " + rootMessage(e));
          org.slf4j.LoggerFactory.getLogger(BenchCommand.class).debug("failure", e);
          return 1;
        });
    return cl;
  }

  private static String rootMessage(Throwable e) {
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c.getMessage() != null && !message.toString().contains(c.getMessage())) {
        message.append(": ").append(c.getMessage());
      }
    }
    return message.toString();
  }
}
