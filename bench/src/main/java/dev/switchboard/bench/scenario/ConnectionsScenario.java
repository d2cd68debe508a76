package dev.switchboard.bench.scenario;

import dev.switchboard.bench.lean.LeanClient;
import dev.switchboard.bench.lean.LeanConnection;
import dev.switchboard.bench.lean.LeanRamp;
import dev.switchboard.bench.lean.SourceAddresses;
import dev.switchboard.bench.load.ChatLoad;
import dev.switchboard.bench.load.ChatLoadConfig;
import dev.switchboard.bench.load.ChatRun;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.setup.BenchAccount;
import dev.switchboard.bench.setup.BenchUsers;
import dev.switchboard.bench.setup.TokenSource;
import dev.switchboard.bench.target.LocalProcesses;
import dev.switchboard.bench.target.ServerJvm;
import dev.switchboard.bench.target.Target;
import dev.switchboard.bench.util.Waits;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.LoginSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code connections}: N idle, authenticated connections on one connector (lean clients, source
 * addresses spread over 127.0.0.0/8), kept alive by heartbeats for a hold period, while a few SDK
 * pairs chat through the same system. Reports logins/s, the connector's heap and RSS per connection
 * (live heap after a full GC, before and after), connections dropped, and whether the chatting
 * pairs lost anything.
 */
public final class ConnectionsScenario {
  private static final Logger log = LoggerFactory.getLogger(ConnectionsScenario.class);

  /** What to open. */
  public record Config(
      int connections,
      int users,
      int chatPairs,
      double chatRatePerSecond,
      int concurrency,
      int perSourceAddress,
      Duration hold,
      Optional<InetSocketAddress> connector,
      OptionalLong serverPid,
      int ioThreads) {}

  private final Target target;
  private final int setupConcurrency;
  private final TokenSource tokens;

  public ConnectionsScenario(Target target, int setupConcurrency, TokenSource tokens) {
    this.target = target;
    this.setupConcurrency = setupConcurrency;
    this.tokens = tokens;
  }

  public Report run(Config c) throws Exception {
    Report report = new Report("connections", Instant.now());
    report
        .config("connections", c.connections())
        .config("users", c.users())
        .config("devices_per_user", (c.connections() + c.users() - 1) / c.users())
        .config("chat_pairs", c.chatPairs())
        .config("chat_rate_per_s", c.chatRatePerSecond())
        .config("login_concurrency", c.concurrency())
        .config("hold_s", c.hold().toSeconds())
        .config("tokens", tokens.describe());
    AccountApi api = new AccountApi(target.apiUrl(), Duration.ofSeconds(60));
    BenchUsers setup = new BenchUsers(api, setupConcurrency);
    List<LoginSession> chat = setup.login(setup.register("chat", 2 * c.chatPairs()), "bench");
    List<LoginSession> a = new ArrayList<>();
    List<LoginSession> b = new ArrayList<>();
    for (int i = 0; i < c.chatPairs(); i++) {
      a.add(chat.get(2 * i));
      b.add(chat.get(2 * i + 1));
    }
    setup.befriend(a, b);
    InetSocketAddress connector =
        c.connector()
            .orElseGet(
                () ->
                    new InetSocketAddress(
                        chat.get(0).connector().host(), chat.get(0).connector().port()));
    report.config("connector", connector.getHostString() + ":" + connector.getPort());
    List<BenchAccount> users = setup.register("idle", c.users());

    OptionalLong pid = c.serverPid();
    if (pid.isEmpty() && LocalProcesses.isLoopback(connector.getHostString())) {
      pid = LocalProcesses.pidListeningOn(connector.getPort());
    }
    ServerJvm jvm = null;
    if (pid.isPresent()) {
      try {
        jvm = ServerJvm.attach(pid.getAsLong());
      } catch (Exception e) {
        report.note("connector JVM " + pid.getAsLong() + " not readable: " + e.getMessage());
      }
    } else {
      report.note("connector heap/RSS not measured: its process is not on this machine");
    }

    try (LeanClient lean = new LeanClient(c.ioThreads(), Duration.ofSeconds(30))) {
      LeanRamp ramp =
          new LeanRamp(
              lean,
              SourceAddresses.randomStart(c.perSourceAddress()),
              tokens,
              Duration.ofSeconds(60));
      log.info("making {} tokens", c.connections());
      List<String> tokenList = ramp.tokensFor(users, "idle", c.connections());

      long heapBefore = jvm == null ? -1 : jvm.liveHeapBytes();
      long rssBefore = jvm == null ? -1 : jvm.settledRssBytes().orElse(-1);

      ChatLoadConfig chatLoad =
          new ChatLoadConfig(
              1,
              c.chatRatePerSecond(),
              100,
              Duration.ZERO,
              Duration.ofHours(6),
              Duration.ofSeconds(60),
              5);
      AtomicReference<ChatLoad> chatHandle = new AtomicReference<>();
      CompletableFuture<ChatRun.Outcome> chatting =
          CompletableFuture.supplyAsync(
              () ->
                  ChatRun.run(
                      target.apiUrl(),
                      a,
                      b,
                      chatLoad,
                      new ChatRun.Threads(1, 1),
                      Optional.empty(),
                      setup.runId() + "-",
                      chatHandle::set));
      Waits.until(() -> chatHandle.get() != null || chatting.isDone(), Duration.ofMinutes(2));

      log.info("opening {} connections to {}", c.connections(), connector);
      LeanRamp.Result opened = ramp.open(connector, users, "idle", tokenList, c.concurrency());
      log.info(
          "{} connections logged in at {}/s; holding {} s",
          opened.open().size(),
          Math.round(opened.loginsPerSecond()),
          c.hold().toSeconds());
      long pingsBefore = lean.pingsSent();
      Waits.parkUntil(System.nanoTime() + c.hold().toNanos());
      long stillOpen = opened.open().stream().filter(LeanConnection::isOpen).count();
      long heapAfter = jvm == null ? -1 : jvm.liveHeapBytes();
      long rssAfter = jvm == null ? -1 : jvm.settledRssBytes().orElse(-1);

      ChatLoad chatLoadHandle = chatHandle.get();
      if (chatLoadHandle != null) {
        chatLoadHandle.stop();
      }
      ChatRun.Outcome chatOutcome = chatting.join();

      report.figure("connections_open", stillOpen);
      report.figure("login_failures", opened.failed());
      if (!opened.failures().isEmpty()) {
        report.figure("login_failures_by_cause", opened.failures());
      }
      report.figure("logins_per_s", opened.loginsPerSecond(), "logins/s");
      report.latency("login_latency", opened.loginLatency());
      report.figure("dropped_during_hold", lean.dropped());
      report.figure("heartbeats_sent_during_hold", lean.pingsSent() - pingsBefore);
      if (jvm != null) {
        long n = Math.max(1, opened.open().size());
        report.figure("server_pid", Long.toString(jvm.pid()));
        report.figure("server_heap_before_mib", heapBefore / 1048576.0, "MiB");
        report.figure("server_heap_after_mib", heapAfter / 1048576.0, "MiB");
        report.figure("heap_per_connection_bytes", (heapAfter - heapBefore) / n, "B");
        if (rssBefore > 0 && rssAfter > 0) {
          report.figure("server_rss_before_mib", rssBefore / 1048576.0, "MiB");
          report.figure("server_rss_after_mib", rssAfter / 1048576.0, "MiB");
          report.figure("rss_per_connection_bytes", (rssAfter - rssBefore) / n, "B");
        }
        if (jvm.pid() == LocalProcesses.self()) {
          report.note(
              "in-process: heap and RSS are this whole JVM's, the lean clients' share included");
        } else {
          report.note(
              "heap and RSS are those of the connector's process (./im up: the whole system in"
                  + " one JVM)");
        }
        LocalProcesses.openFilesLimit(jvm.pid())
            .ifPresent(l -> report.config("server_open_files_limit", l));
      }
      report.figure("chat_delivered", chatOutcome.load().surfacedTotal());
      report.latency("chat_e2e_latency", chatOutcome.load().endToEnd());
      report.figure("chat_errors", chatOutcome.load().errorCount());
      if (!chatOutcome.load().errors().isEmpty()) {
        report.figure("chat_errors_by_cause", chatOutcome.load().errors());
      }
      ChatFigures.delivery(report, chatOutcome.delivery());
      opened.open().forEach(LeanConnection::close);
    } finally {
      if (jvm != null) {
        jvm.close();
      }
    }
    return report;
  }
}
