package dev.switchboard.launcher.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.delivery.DeliveryChecker;
import dev.switchboard.launcher.FaultHooks;
import dev.switchboard.launcher.LocalCluster;
import dev.switchboard.offlinestore.OfflineStoreServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 6: offline-store is killed again and again mid-traffic, each time at the worst moment: a
 * batch is in MySQL, its Kafka offsets are not committed ({@link KillSwitch}, {@link
 * OfflineStoreServer#crash()}: no offset commit, no drain, no deregistration). A fresh instance
 * with the same settings is started each time; it reads those batches again. Meanwhile the
 * connectors' syncs and cursor updates fail and are retried. Every SENT message must end up in
 * MySQL exactly once, and on its recipient's device once and in order.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OfflineStoreRestartFaultIT {
  private static final Logger log = LoggerFactory.getLogger(OfflineStoreRestartFaultIT.class);

  /** An armed switch fires at the instance's next stored batch, a few hundred ms under traffic. */
  private static final Duration KILLED_WITHIN = Duration.ofSeconds(30);

  @Test
  void offlineStoreKilledBetweenItsMySqlAndOffsetCommits_everySentMessageStoredOnce_noneLost()
      throws Exception {
    FaultScale scale = FaultScale.fromSystemProperties();
    DeliveryChecker checker = new DeliveryChecker();
    KillSwitch killSwitch = new KillSwitch();
    try (FaultCluster cluster =
            FaultCluster.start(
                "offline-store-restart",
                Map.of(),
                new FaultHooks(Map.of(), killSwitch.betweenDatabaseAndOffsetCommit()));
        ChatTraffic traffic = new ChatTraffic(cluster.apiUrl(), checker)) {
      LocalCluster local = cluster.cluster();
      List<OfflineStoreServer> generations = new ArrayList<>();
      generations.add(attach(killSwitch, local.offlineStore()));
      List<FaultClient> clients = traffic.connectClients("store", scale.clients());

      int total = traffic.warmUpPairs(clients) + scale.pairTotal();
      long startedAt = System.nanoTime();
      CompletableFuture<Void> sending = traffic.sendInPairs(clients, scale.perClient());
      int kills = scale.offlineStoreKills();
      for (int kill = 1; kill <= kills; kill++) {
        traffic.awaitSent((long) total * kill / (kills + 1), FaultScale.budget(scale.pairTotal()));
        long sentAtKill = traffic.sentCount();
        String inHand = killSwitch.killAtNextSeam(KILLED_WITHIN);
        long killedAt = System.nanoTime();
        killSwitch = new KillSwitch();
        generations.add(
            attach(
                killSwitch,
                local.restartOfflineStore(killSwitch.betweenDatabaseAndOffsetCommit())));
        log.info(
            "offline-store kill {} of {} after {} SENT, with {}; a fresh instance serves after {}"
                + " ms",
            kill,
            kills,
            sentAtKill,
            inHand,
            (System.nanoTime() - killedAt) / 1_000_000);
      }

      ChatTraffic.waitFor(sending, FaultScale.budget(scale.pairTotal()));
      long sendMs = (System.nanoTime() - startedAt) / 1_000_000;
      long deliverMs = traffic.awaitDelivered(FaultScale.budget(scale.pairTotal()));

      DeliveryChecker.Report report = checker.report();
      log.info(
          "offline-store restarts: {} in {} ms sending + {} ms until delivered; {} kills; resends"
              + " {}",
          report,
          sendMs,
          deliverMs,
          kills,
          traffic.failures());
      FaultAssertions.assertClean(report, total);
      FaultAssertions.assertStoredOnce(cluster, report.sent());
      double chatsRead = generations.stream().mapToDouble(s -> s.metrics().chatsStored()).sum();
      log.info(
          "offline-store instances wrote {} chat records for {} messages: {} read again after a"
              + " kill (or produced twice)",
          (long) chatsRead,
          report.sent(),
          (long) chatsRead - report.sent());
      assertThat(generations).hasSize(kills + 1);
    }
  }

  private static OfflineStoreServer attach(KillSwitch killSwitch, OfflineStoreServer server) {
    killSwitch.attach(server::crash);
    return server;
  }
}
