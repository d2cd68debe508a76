package dev.switchboard.launcher.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 1: a connector dies mid-traffic with no goodbye (no Kick; connections just close, its gRPC
 * server is gone). Its clients reconnect with backoff, log in again over REST, which hands them the
 * surviving connector, and sync; senders resend what was not SENT with the same client_msg_id.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConnectorCrashFaultIT {
  private static final Logger log = LoggerFactory.getLogger(ConnectorCrashFaultIT.class);

  @Test
  void aConnectorCrashesMidTraffic_clientsReconnectElsewhere_nothingLostDuplicatedOrReordered()
      throws Exception {
    FaultScale scale = FaultScale.fromSystemProperties();
    DeliveryChecker checker = new DeliveryChecker();
    try (FaultCluster cluster = FaultCluster.start("connector-crash", Map.of());
        ChatTraffic traffic = new ChatTraffic(cluster.apiUrl(), checker)) {
      ConnectorServer victim = cluster.cluster().connectors().get(0);
      ConnectorServer survivor = cluster.cluster().connectors().get(1);
      List<FaultClient> clients = traffic.connectClients("crash", scale.clients());
      List<FaultClient> onVictim =
          clients.stream().filter(c -> victim.id().equals(c.client().connectorId())).toList();
      assertThat(onVictim).as("clients on the connector that will crash").isNotEmpty();

      int total = traffic.warmUpPairs(clients) + scale.pairTotal();
      long startedAt = System.nanoTime();
      CompletableFuture<Void> sending = traffic.sendInPairs(clients, scale.perClient());
      traffic.awaitSent(total / 3, FaultScale.budget(scale.pairTotal()));
      long crashAt = System.nanoTime();
      victim.crash();
      log.info(
          "connector {} crashed after {} SENT, {} of {} clients were on it",
          victim.id(),
          traffic.sentCount(),
          onVictim.size(),
          clients.size());

      ChatTraffic.waitFor(sending, FaultScale.budget(scale.pairTotal()));
      long sendMs = (System.nanoTime() - startedAt) / 1_000_000;
      long deliverMs = traffic.awaitDelivered(FaultScale.budget(scale.pairTotal()));

      DeliveryChecker.Report report = checker.report();
      log.info(
          "connector crash: {} in {} ms sending + {} ms until delivered; resends {};"
              + " reconnected {} of {} clients",
          report,
          sendMs,
          deliverMs,
          traffic.failures(),
          onVictim.stream().filter(c -> c.reconnects.get() > 0).count(),
          onVictim.size());
      FaultAssertions.assertClean(report, total);
      FaultAssertions.assertStoredOnce(cluster, report.sent());
      assertThat(onVictim)
          .as("every client of the crashed connector is connected again, on the survivor")
          .allSatisfy(
              c -> {
                assertThat(c.client().isConnected()).isTrue();
                assertThat(c.client().connectorId()).isEqualTo(survivor.id());
              });
      log.info(
          "connector crash: recovered {} ms after the crash",
          (System.nanoTime() - crashAt) / 1_000_000);
    }
  }
}
