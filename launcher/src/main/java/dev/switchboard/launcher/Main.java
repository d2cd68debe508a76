package dev.switchboard.launcher;

import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./im}: the local launcher. */
@Command(
    name = "im",
    mixinStandardHelpOptions = true,
    description = "Switchboard local launcher. The console client is `./im cli`.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // One log format for everything in this JVM, Tomcat's java.util.logging included.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine commandLine =
        new CommandLine(new Main()).addSubcommand("up", new UpCommand(System.out));
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          // A launcher error is for a person at a terminal: the message, not a stack trace.
          cmd.getErr().println("im: " + rootMessage(e));
          return 1;
        });
    int exit = commandLine.execute(args);
    if (exit != 0 || args.length == 0 || !"up".equals(args[0])) {
      System.exit(exit);
    }
  }

  private static String rootMessage(Throwable e) {
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
        message.append(": ").append(cause.getMessage());
      }
    }
    return message.toString();
  }
}
