package dev.switchboard.launcher.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.delivery.DeliveryChecker;
import dev.switchboard.transfer.TransferServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 2: one of the two transfer instances goes away mid-traffic. The connectors move to the
 * other one; sends caught in between fail (UNAVAILABLE, timeout) and are sent again with the same
 * client_msg_id, which must answer the original message, never a second one.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TransferLossFaultIT {
  private static final Logger log = LoggerFactory.getLogger(TransferLossFaultIT.class);

  @Test
  void aTransferInstanceStopsMidTraffic_resendsKeepTheirMessage_nothingLostOrDuplicated()
      throws Exception {
    FaultScale scale = FaultScale.fromSystemProperties();
    DeliveryChecker checker = new DeliveryChecker();
    try (FaultCluster cluster = FaultCluster.start("transfer-loss", Map.of());
        ChatTraffic traffic = new ChatTraffic(cluster.apiUrl(), checker)) {
      TransferServer victim = cluster.cluster().transfers().get(0);
      List<FaultClient> clients = traffic.connectClients("xfer", scale.clients());

      int total = traffic.warmUpPairs(clients) + scale.pairTotal();
      long startedAt = System.nanoTime();
      CompletableFuture<Void> sending = traffic.sendInPairs(clients, scale.perClient());
      traffic.awaitSent(total / 3, FaultScale.budget(scale.pairTotal()));
      long stopping = System.nanoTime();
      victim.close();
      log.info(
          "transfer-1 stopped after {} SENT in {} ms",
          traffic.sentCount(),
          (System.nanoTime() - stopping) / 1_000_000);

      ChatTraffic.waitFor(sending, FaultScale.budget(scale.pairTotal()));
      long sendMs = (System.nanoTime() - startedAt) / 1_000_000;
      long deliverMs = traffic.awaitDelivered(FaultScale.budget(scale.pairTotal()));

      DeliveryChecker.Report report = checker.report();
      log.info(
          "transfer loss: {} in {} ms sending + {} ms until delivered; resends {}",
          report,
          sendMs,
          deliverMs,
          traffic.failures());
      FaultAssertions.assertClean(report, total);
      FaultAssertions.assertStoredOnce(cluster, report.sent());
      assertThat(cluster.cluster().transfers().get(1)).isNotNull();
    }
  }
}
