package dev.switchboard.bench;

import dev.switchboard.bench.cli.BenchCommand;

/** {@code ./im bench <scenario> [options]}. */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    // The launcher's jar brings its own logback.xml; the benchmark's sends logs to stderr and
    // keeps in-process servers quiet, so it is named explicitly.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-bench.xml");
    }
    // Tomcat (account-api, in-process) logs through java.util.logging.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    System.exit(BenchCommand.commandLine(System.out, System.err).execute(args));
  }
}
