package dev.switchboard.bench.scenario;

import dev.switchboard.bench.load.ChatLoadConfig;
import dev.switchboard.bench.load.ChatRun;
import dev.switchboard.bench.report.Report;
import dev.switchboard.devkit.delivery.DeliveryChecker;

/** The figures of a chat load, the same names for {@code p2p} and {@code baseline}. */
final class ChatFigures {
  private ChatFigures() {}

  static void config(Report r, int users, ChatLoadConfig c) {
    r.config("users", users)
        .config("mode", c.fixedRate() ? "fixed-rate" : "max-throughput")
        .config("rate_per_s", c.ratePerSecond())
        .config("window", c.window())
        .config("payload_bytes", c.payloadBytes())
        .config("warmup_s", c.warmup().toMillis() / 1000.0)
        .config("duration_s", c.duration().toMillis() / 1000.0);
  }

  static void add(Report r, ChatRun.Outcome o, boolean fixedRate) {
    var load = o.load();
    r.figure("delivered_per_s", load.deliveredPerSecond(), "msg/s");
    r.figure("sent_per_s", load.sentPerSecond(), "msg/s");
    r.latency("sent_latency", load.sentLatency());
    r.latency("e2e_latency", load.endToEnd());
    if (fixedRate) {
      r.latency("e2e_latency_from_actual_send", load.endToEndFromActualSend());
    }
    r.figure("sent_total", load.sentTotal());
    r.figure("surfaced_total", load.surfacedTotal());
    r.figure("errors", load.errorCount());
    if (!load.errors().isEmpty()) {
      r.figure("errors_by_cause", load.errors());
    }
    r.figure("given_up", load.givenUp());
    r.figure("disconnects", o.disconnects());
    delivery(r, o.delivery());
    r.figure("drained", load.drained());
    r.figure("drain_s", load.drainSeconds(), "s");
  }

  static void delivery(Report r, DeliveryChecker.Report d) {
    r.figure("lost", d.lost());
    r.figure("duplicates", d.duplicates());
    r.figure("order_violations", d.orderViolations());
    r.figure("seq_holes", d.gaps());
    r.figure("duplicate_sends", d.duplicateSends());
    if (!d.examples().isEmpty()) {
      r.figure("delivery_problems", d.examples());
    }
  }
}
