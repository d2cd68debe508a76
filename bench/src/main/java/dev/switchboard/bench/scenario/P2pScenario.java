package dev.switchboard.bench.scenario;

import dev.switchboard.bench.load.ChatLoadConfig;
import dev.switchboard.bench.load.ChatRun;
import dev.switchboard.bench.report.LatencySummary;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.setup.BenchAccount;
import dev.switchboard.bench.setup.BenchUsers;
import dev.switchboard.bench.target.ConsumerLag;
import dev.switchboard.bench.target.Target;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.LoginSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code p2p}: N users in pairs (friends, so the default friends-only policy lets them chat),
 * spread over the connectors by account-api's own assignment, each writing to its partner.
 * Durability is whatever the deployment does (on: Kafka before SENT, MySQL after); the run ends
 * with offline-store's consumer lag.
 */
public final class P2pScenario {
  private final Target target;
  private final int setupConcurrency;

  public P2pScenario(Target target, int setupConcurrency) {
    this.target = target;
    this.setupConcurrency = setupConcurrency;
  }

  public Report run(int users, ChatLoadConfig load, ChatRun.Threads threads) {
    Report report = new Report("p2p", Instant.now());
    ChatFigures.config(report, users, load);
    AccountApi api = new AccountApi(target.apiUrl(), Duration.ofSeconds(60));
    BenchUsers setup = new BenchUsers(api, setupConcurrency);
    List<BenchAccount> accounts = setup.register("p2p", users);
    List<LoginSession> sessions = setup.login(accounts, "bench");
    List<LoginSession> a = new ArrayList<>();
    List<LoginSession> b = new ArrayList<>();
    int crossConnector = 0;
    for (int i = 0; i + 1 < sessions.size(); i += 2) {
      a.add(sessions.get(i));
      b.add(sessions.get(i + 1));
      if (!sessions.get(i).connector().id().equals(sessions.get(i + 1).connector().id())) {
        crossConnector++;
      }
    }
    setup.befriend(a, b);
    Optional<ConsumerLag> lag = Lag.open(target);
    try {
      ChatRun.Outcome outcome =
          ChatRun.run(target.apiUrl(), a, b, load, threads, lag, setup.runId() + "-");
      ChatFigures.add(report, outcome, load.fixedRate());
      report.figure("cross_connector_pairs", crossConnector + " of " + a.size());
      if (lag.isPresent()) {
        outcome.lagAtEnd().ifPresent(l -> report.figure("consumer_lag_at_end", l, "records"));
        report.figure(
            "consumer_lag_zero_after_s",
            outcome.lagZeroAfterSeconds().map(s -> (Object) s).orElse("not within 120 s"),
            "s");
      } else {
        report.note(
            "consumer lag not measured: the Kafka bootstrap is unknown (pass --kafka-bootstrap)");
      }
    } finally {
      lag.ifPresent(ConsumerLag::close);
    }
    return report;
  }

  /** Adds the same-run baseline and the ratios of the system's figures to it. */
  public static void compare(Report p2p, Report baseline) {
    p2p.part(baseline);
    double ours = (Double) p2p.figureValue("delivered_per_s");
    double ceiling = (Double) baseline.figureValue("delivered_per_s");
    p2p.figure("baseline_delivered_per_s", ceiling, "msg/s");
    p2p.figure("throughput_vs_baseline", ceiling == 0 ? 0 : round(ours / ceiling), "x");
    LatencySummary e2e = (LatencySummary) p2p.figureValue("e2e_latency");
    LatencySummary base = (LatencySummary) baseline.figureValue("e2e_latency");
    p2p.figure("baseline_e2e_p99_ms", base.p99Ms(), "ms");
    p2p.figure("e2e_p50_vs_baseline", ratio(e2e.p50Ms(), base.p50Ms()), "x");
    p2p.figure("e2e_p99_vs_baseline", ratio(e2e.p99Ms(), base.p99Ms()), "x");
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : round(a / b);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
