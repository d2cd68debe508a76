package dev.switchboard.launcher.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault 4: the Kafka broker stops mid-traffic and comes back. SENT means "the broker acknowledged
 * it", so while the broker is down no send may be answered SENT: they fail (UNAVAILABLE or timeout)
 * and the clients keep sending them again with the same client_msg_id. Once the broker is back
 * every SENT message is delivered and stored, once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaOutageFaultIT {
  private static final Logger log = LoggerFactory.getLogger(KafkaOutageFaultIT.class);

  /** How long the broker stays down once it is. */
  private static final Duration OUTAGE = Duration.ofSeconds(6);

  /**
   * A SENT the broker acknowledged just before it went down can still be on its way to the client
   * when stop() returns; SENTs are only counted as false from this long after.
   */
  private static final long IN_FLIGHT_MARGIN_NANOS = 500_000_000L;

  @Test
  void kafkaStopsAndRestartsMidTraffic_noFalseSent_everySentMessageDeliveredAndStored()
      throws Exception {
    FaultScale scale = FaultScale.fromSystemProperties();
    DeliveryChecker checker = new DeliveryChecker();
    try (FaultCluster cluster = FaultCluster.start("kafka-outage", Map.of());
        ChatTraffic traffic = new ChatTraffic(cluster.apiUrl(), checker)) {
      EmbeddedKafka kafka = cluster.kafka();
      List<FaultClient> clients = traffic.connectClients("kafka", scale.clients());

      int total = traffic.warmUpPairs(clients) + scale.pairTotal();
      long startedAt = System.nanoTime();
      CompletableFuture<Void> sending = traffic.sendInPairs(clients, scale.perClient());
      traffic.awaitSent(total / 3, FaultScale.budget(scale.pairTotal()));
      long sentBefore = traffic.sentCount();
      kafka.stop();
      long downAt = System.nanoTime();
      long failuresAtDown = traffic.failureCount();
      log.info("Kafka stopped after {} SENT", sentBefore);
      await()
          .pollDelay(OUTAGE)
          .atMost(OUTAGE.plusSeconds(1))
          .until(() -> true); // the outage itself: traffic keeps trying meanwhile
      long upAt = System.nanoTime();
      long falseSents = traffic.sentBetween(downAt + IN_FLIGHT_MARGIN_NANOS, upAt);
      long refusedWhileDown = traffic.failureCount() - failuresAtDown;
      long sentWhileDown = traffic.sentCount() - sentBefore;
      kafka.startAgain();
      log.info(
          "Kafka back after {} ms down: {} sends refused meanwhile, {} SENT ({} after the first"
              + " {} ms)",
          (upAt - downAt) / 1_000_000,
          refusedWhileDown,
          sentWhileDown,
          falseSents,
          IN_FLIGHT_MARGIN_NANOS / 1_000_000);

      ChatTraffic.waitFor(sending, FaultScale.budget(scale.pairTotal()));
      long sendMs = (System.nanoTime() - startedAt) / 1_000_000;
      long deliverMs = traffic.awaitDelivered(FaultScale.budget(scale.pairTotal()));

      DeliveryChecker.Report report = checker.report();
      log.info(
          "kafka outage: {} in {} ms sending + {} ms until delivered; resends {}",
          report,
          sendMs,
          deliverMs,
          traffic.failures());
      assertThat(falseSents).as("SENT answered while the broker was down").isZero();
      assertThat(refusedWhileDown).as("sends refused while the broker was down").isPositive();
      FaultAssertions.assertClean(report, total);
      FaultAssertions.assertStoredOnce(cluster, report.sent());
    }
  }
}
