package dev.switchboard.bench.scenario;

import dev.switchboard.bench.load.ChatLoad;
import dev.switchboard.bench.load.CountedSends;
import dev.switchboard.bench.load.Deliveries;
import dev.switchboard.bench.load.SdkFleet;
import dev.switchboard.bench.load.Window;
import dev.switchboard.bench.report.Report;
import dev.switchboard.bench.setup.BenchAccount;
import dev.switchboard.bench.setup.BenchUsers;
import dev.switchboard.bench.target.ConsumerLag;
import dev.switchboard.bench.target.Target;
import dev.switchboard.bench.util.Waits;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code offline-sync}: a device that has logged in before goes offline, senders write it {@code
 * messages} messages (all SENT, and, when the log is reachable, all consumed into MySQL), then it
 * logs in again. Measured: from the connect call to the last of those messages surfaced through the
 * SDK (sync pages, dedup, order, DELIVERED for each), i.e. what a user waits for.
 */
public final class OfflineSyncScenario {
  private static final Logger log = LoggerFactory.getLogger(OfflineSyncScenario.class);
  private static final String DEVICE = "bench-offline";

  private final Target target;
  private final int setupConcurrency;

  public OfflineSyncScenario(Target target, int setupConcurrency) {
    this.target = target;
    this.setupConcurrency = setupConcurrency;
  }

  public Report run(
      long messages, int senders, int window, int payloadBytes, Duration timeout, int ioThreads) {
    Report report = new Report("offline-sync", Instant.now());
    report
        .config("messages", messages)
        .config("senders", senders)
        .config("window", window)
        .config("payload_bytes", payloadBytes);
    AccountApi api = new AccountApi(target.apiUrl(), Duration.ofSeconds(60));
    BenchUsers setup = new BenchUsers(api, setupConcurrency);
    BenchAccount receiver = setup.register("rcv", 1).get(0);
    List<LoginSession> senderSessions = setup.login(setup.register("snd", senders), "bench");
    LoginSession receiverSession = setup.login(List.of(receiver), DEVICE).get(0);
    setup.befriend(senderSessions, Collections.nCopies(senders, receiverSession));

    DeliveryChecker checker = new DeliveryChecker();
    Deliveries deliveries = new Deliveries(checker, new Window());
    String device = receiver.userId() + "/" + DEVICE;
    checker.expectDevice(receiver.userId(), device);
    Optional<ConsumerLag> lag = Lag.open(target);
    try (SdkFleet fleet = new SdkFleet(target.apiUrl(), ioThreads, 2, deliveries)) {
      SwitchboardClient once = fleet.newClient(receiver.userId(), device, DEVICE);
      once.connect(receiverSession).get(30, TimeUnit.SECONDS); // the device exists, then leaves
      once.close();

      List<SdkFleet.Member> members = fleet.connect(senderSessions, "bench", 16);
      List<ChatLoad.Route> routes = new ArrayList<>();
      members.forEach(m -> routes.add(new ChatLoad.Route(m.client(), receiver.userId())));
      long fillStart = System.nanoTime();
      CountedSends fill = new CountedSends(routes, checker, payloadBytes, 5, setup.runId() + "-");
      long sent = fill.send(messages, window, timeout);
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      report.figure("sent", sent);
      report.figure("fill_per_s", sent / fillSeconds, "msg/s");
      if (lag.isPresent()) {
        Optional<Duration> ingested = lag.get().timeToZero(timeout, Duration.ofMillis(100));
        report.figure(
            "stored_after_fill_s",
            ingested.map(d -> (Object) (d.toMillis() / 1000.0)).orElse("not within timeout"),
            "s");
      } else {
        report.note("no consumer lag: the sync may also wait for offline-store's ingest");
      }

      SwitchboardClient client = fleet.newClient(receiver.userId(), device, DEVICE);
      long start = System.nanoTime();
      client.connect(receiverSession).get(30, TimeUnit.SECONDS);
      long loggedIn = System.nanoTime();
      boolean complete = Waits.until(() -> deliveries.surfaced() >= sent, timeout);
      long synced = System.nanoTime();
      double syncSeconds = (synced - start) / 1e9;
      if (!complete) {
        log.warn("only {} of {} messages synced within {}", deliveries.surfaced(), sent, timeout);
      }
      report.figure("time_to_logged_in_ms", (loggedIn - start) / 1e6, "ms");
      report.figure("time_to_synced_s", syncSeconds, "s");
      report.figure("synced_per_s", deliveries.surfaced() / syncSeconds, "msg/s");
      report.figure("synced", deliveries.surfaced());
      report.figure("send_failures", fill.failures());
      report.figure("complete", complete);
      ChatFigures.delivery(report, checker.report());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the receiver could not log in: " + e.getMessage(), e);
    } finally {
      lag.ifPresent(ConsumerLag::close);
    }
    return report;
  }
}
