package dev.switchboard.bench.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the JSON report goes. */
public final class OutputOptions {
  @Option(
      names = "--out",
      description = "Also write the report (configuration, machine, every figure) as JSON here.")
  Path out;
}
