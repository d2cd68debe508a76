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
import dev.switchboard.bench.util.Waits;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.client.rest.Presence;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code login-storm}: K clients that already hold tokens connect and log in at once, as after a
 * connector died and its clients all come back: logins/s over the storm and the time each took from
 * its connect call to its LoginResp.
 */
public final class LoginStormScenario {
  private static final Logger log = LoggerFactory.getLogger(LoginStormScenario.class);

  /** Longest wait for the servers to finish the warm-up's logouts. */
  private static final Duration WARMUP_SETTLE_TIMEOUT = Duration.ofSeconds(30);

  /** User ids per presence request at most (account-api's limit). */
  private static final int PRESENCE_BATCH = 200;

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
      int ioThreads,
      int warmupClients) {
    Report report = new Report("login-storm", Instant.now());
    report
        .config("clients", clients)
        .config("users", users)
        .config("concurrency", concurrency)
        .config("warmup_clients", warmupClients)
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
      if (warmupClients > 0) {
        warmUp(ramp, api, connector, accounts, warmupClients, Math.min(concurrency, warmupClients))
            .ifPresent(rate -> report.figure("warmup_logins_per_s", rate, "logins/s"));
      }
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

  /**
   * A smaller storm first, of other devices, closed again before the measured one: the load
   * generator's JIT and the servers' login path are then warm, as they are on a connector that has
   * been up for a while, and the measured storm is not mostly compiler threads (half the load
   * generator's CPU in a cold storm). It waits until account-api shows every storm user offline
   * again, so that the warm-up's logouts do not overlap the storm.
   */
  private Optional<Double> warmUp(
      LeanRamp ramp,
      AccountApi api,
      InetSocketAddress connector,
      List<BenchAccount> accounts,
      int count,
      int concurrency) {
    List<String> tokenList = ramp.tokensFor(accounts, "warmup", count);
    LeanRamp.Result warm = ramp.open(connector, accounts, "warmup", tokenList, concurrency);
    warm.open().forEach(LeanConnection::close);
    String watcher = tokens.token(accounts.get(0), "warmup-watch").join();
    List<Long> userIds = accounts.stream().map(BenchAccount::userId).toList();
    boolean settled =
        Waits.until(
            () ->
                warm.open().stream().noneMatch(LeanConnection::isOpen)
                    && allOffline(api, watcher, userIds),
            WARMUP_SETTLE_TIMEOUT);
    if (!settled) {
      log.warn(
          "the warm-up's logouts were not all done after {} s; the storm starts anyway",
          WARMUP_SETTLE_TIMEOUT.toSeconds());
    }
    return warm.open().isEmpty() ? Optional.empty() : Optional.of(warm.loginsPerSecond());
  }

  private static boolean allOffline(AccountApi api, String token, List<Long> userIds) {
    for (int from = 0; from < userIds.size(); from += PRESENCE_BATCH) {
      List<Long> batch = userIds.subList(from, Math.min(userIds.size(), from + PRESENCE_BATCH));
      if (api.presence(token, batch).stream().anyMatch(Presence::online)) {
        return false;
      }
    }
    return true;
  }
}
