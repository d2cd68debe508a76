package dev.switchboard.bench.scenario;

import dev.switchboard.bench.lean.LeanClient;
import dev.switchboard.bench.lean.LeanConnection;
import dev.switchboard.bench.lean.LeanRamp;
import dev.switchboard.bench.lean.SourceAddresses;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.setup.BenchAccount;
import dev.switchboard.bench.setup.BenchUsers;
import dev.switchboard.bench.setup.TokenSource;
import dev.switchboard.bench.target.Target;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.LoginSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code login-storm}: K clients that already hold tokens connect and log in at once, as after a
 * connector died and its clients all come back: logins/s over the storm and the time each took from
 * its connect call to its LoginResp.
 */
public final class LoginStormScenario {
  private final Target target;
  private final int setupConcurrency;
  private final TokenSource tokens;

  public LoginStormScenario(Target target, int setupConcurrency, TokenSource tokens) {
    this.target = target;
    this.setupConcurrency = setupConcurrency;
    this.tokens = tokens;
  }

  public Report run(
      int clients,
      int users,
      int concurrency,
      int perSourceAddress,
      Optional<InetSocketAddress> connectorOption,
      int ioThreads) {
    Report report = new Report("login-storm", Instant.now());
    report
        .config("clients", clients)
        .config("users", users)
        .config("concurrency", concurrency)
        .config("tokens", tokens.describe());
    AccountApi api = new AccountApi(target.apiUrl(), Duration.ofSeconds(60));
    BenchUsers setup = new BenchUsers(api, setupConcurrency);
    List<BenchAccount> accounts = setup.register("storm", users);
    InetSocketAddress connector =
        connectorOption.orElseGet(
            () -> {
              LoginSession first = setup.login(accounts.subList(0, 1), "probe").get(0);
              return new InetSocketAddress(first.connector().host(), first.connector().port());
            });
    report.config("connector", connector.getHostString() + ":" + connector.getPort());
    try (LeanClient lean = new LeanClient(ioThreads, Duration.ofSeconds(30))) {
      LeanRamp ramp =
          new LeanRamp(
              lean, SourceAddresses.randomStart(perSourceAddress), tokens, Duration.ofSeconds(60));
      List<String> tokenList = ramp.tokensFor(accounts, "storm", clients);
      LeanRamp.Result storm = ramp.open(connector, accounts, "storm", tokenList, concurrency);
      report.figure("logged_in", storm.open().size());
      report.figure("failed", storm.failed());
      if (!storm.failures().isEmpty()) {
        report.figure("failures_by_cause", storm.failures());
      }
      report.figure("storm_s", storm.seconds(), "s");
      report.figure("logins_per_s", storm.loginsPerSecond(), "logins/s");
      report.latency("time_to_logged_in", storm.loginLatency());
      storm.open().forEach(LeanConnection::close);
    }
    return report;
  }
}
