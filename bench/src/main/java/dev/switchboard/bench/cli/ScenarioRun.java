package dev.switchboard.bench.cli;

import dev.switchboard.bench.report.MachineInfo;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.report.ReportPrinter;
import dev.switchboard.bench.report.ReportWriter;
import dev.switchboard.bench.target.Target;
import java.io.PrintStream;
import java.util.List;

/** What every scenario command does around its run: target, table, JSON, exit code. */
final class ScenarioRun {
  /** Exit code of a run that completed but lost, duplicated or reordered messages. */
  static final int DELIVERY_FAILED = 3;

  interface Body {
    Report run(Target target) throws Exception;
  }

  private ScenarioRun() {}

  static int execute(TargetOptions target, OutputOptions output, PrintStream out, Body body)
      throws Exception {
    try (TargetOptions.Resolved resolved = target.resolve()) {
      Report report = body.run(resolved.target());
      report.target(resolved.target().describe());
      return finish(report, output, out);
    }
  }

  static int finish(Report report, OutputOptions output, PrintStream out) throws Exception {
    report.machine(MachineInfo.describe());
    for (Report part : report.parts()) {
      part.machine(MachineInfo.describe());
    }
    new ReportPrinter(out).print(report);
    if (output.out != null) {
      new ReportWriter().write(report, output.out);
      out.println("report written to " + output.out.toAbsolutePath());
    }
    if (!deliveryClean(report)) {
      out.println("FAILED: messages were lost, duplicated or reordered (see above)");
      return DELIVERY_FAILED;
    }
    return 0;
  }

  private static boolean deliveryClean(Report report) {
    for (String figure : List.of("lost", "duplicates", "order_violations", "duplicate_sends")) {
      Object v = report.figureValue(figure);
      if (v instanceof Number n && n.longValue() > 0) {
        return false;
      }
    }
    return report.parts().stream().allMatch(ScenarioRun::deliveryClean);
  }
}
