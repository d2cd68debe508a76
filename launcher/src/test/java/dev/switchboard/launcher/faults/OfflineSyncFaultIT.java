package dev.switchboard.launcher.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.delivery.DeliveryChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 5: a user is offline while five senders send it many messages (2,000 by default, 5,000 with
 * {@code -Pfaults-large}); when it logs in (on the other connector) it gets all of them, once each
 * and in order, by sync alone. Logs how long the full sync takes.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OfflineSyncFaultIT {
  private static final Logger log = LoggerFactory.getLogger(OfflineSyncFaultIT.class);
  private static final int SENDERS = 5;

  /** SENTs each sender waits for at a time. */
  private static final int WINDOW = 16;

  @Test
  void anOfflineUser_getsEverythingFiveSendersSent_inOrder_whenItLogsIn() throws Exception {
    FaultScale scale = FaultScale.fromSystemProperties();
    int perSender = scale.offlineMessages() / SENDERS;
    int total = perSender * SENDERS;
    DeliveryChecker checker = new DeliveryChecker();
    try (FaultCluster cluster = FaultCluster.start("offline-sync", Map.of());
        ChatTraffic traffic = new ChatTraffic(cluster.apiUrl(), checker)) {
      List<FaultClient> senders = traffic.connectClients("sender", SENDERS);
      // Registered, never online until all was sent: everything must come by sync.
      String username = "away_" + UUID.randomUUID().toString().substring(0, 8);
      String password = "password-" + username;
      FaultClient away =
          traffic.prepare(traffic.api().register(username, password, "away"), password);

      long startedAt = System.nanoTime();
      List<CompletableFuture<Void>> sends = new ArrayList<>();
      for (FaultClient sender : senders) {
        sends.add(traffic.send(sender, away, perSender, WINDOW));
      }
      ChatTraffic.waitFor(
          CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)),
          FaultScale.budget(total));
      log.info(
          "offline user: {} messages from {} senders SENT in {} ms",
          total,
          SENDERS,
          (System.nanoTime() - startedAt) / 1_000_000);

      long loginAt = System.nanoTime();
      traffic.connect(away).get(60, TimeUnit.SECONDS);
      long syncMs = traffic.awaitDelivered(FaultScale.budget(total));
      log.info(
          "offline user: full sync of {} messages from {} senders took {} ms after login"
              + " ({} ms including the login)",
          total,
          SENDERS,
          syncMs,
          (System.nanoTime() - loginAt) / 1_000_000);

      DeliveryChecker.Report report = checker.report();
      log.info("offline sync: {}", report);
      FaultAssertions.assertClean(report, total);
      assertThat(away.received.get()).isEqualTo(total);
    }
  }
}
