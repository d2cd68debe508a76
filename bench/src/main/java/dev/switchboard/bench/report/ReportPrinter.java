package dev.switchboard.bench.report;

import java.io.PrintStream;
import java.util.Map;

/** The human-readable table of a {@link Report}. */
public final class ReportPrinter {
  private final PrintStream out;

  public ReportPrinter(PrintStream out) {
    this.out = out;
  }

  public void print(Report report) {
    for (Report part : report.parts()) {
      print(part);
    }
    out.printf("%n== %s  (%s)%n", report.scenario(), report.startedAt());
    out.println("config: " + inline(report.config()));
    if (!report.target().isEmpty()) {
      out.println("target: " + inline(report.target()));
    }
    int width = report.figures().keySet().stream().mapToInt(String::length).max().orElse(10);
    out.println("-".repeat(Math.min(100, width + 60)));
    report
        .figures()
        .forEach(
            (name, value) -> {
              String unit = report.units().get(name);
              String cell =
                  value instanceof LatencySummary l
                      ? l.toCell()
                      : format(value) + (unit == null ? "" : " " + unit);
              out.printf("%-" + width + "s  %s%n", name, cell);
            });
    for (String note : report.notes()) {
      out.println("note: " + note);
    }
    out.flush();
  }

  private static String inline(Map<String, Object> values) {
    StringBuilder b = new StringBuilder();
    values.forEach(
        (k, v) -> {
          if (b.length() > 0) {
            b.append(", ");
          }
          b.append(k).append('=').append(format(v));
        });
    return b.toString();
  }

  private static String format(Object value) {
    if (value instanceof Double d) {
      return Math.abs(d) >= 100 ? String.format("%,.0f", d) : String.format("%.3f", d);
    }
    if (value instanceof Long || value instanceof Integer) {
      return String.format("%,d", ((Number) value).longValue());
    }
    return String.valueOf(value);
  }
}
