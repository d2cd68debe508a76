package dev.switchboard.launcher.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.delivery.DeliveryChecker;
import dev.switchboard.launcher.FaultHooks;
import dev.switchboard.offlinestore.ingest.IngestHooks;
import dev.switchboard.transfer.TransferServer;
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
 * Fault 2: one of the two transfer instances is killed mid-traffic ({@link TransferServer#crash()}:
 * calls in flight cut off unanswered, records the broker had not acknowledged abandoned, no
 * deregistration), at the worst moment for it: right after it committed a message's seq, before the
 * Kafka append ({@link KillSwitch}). The connectors move to the other one; sends caught in between
 * fail (UNAVAILABLE, timeout) and are sent again with the same client_msg_id, which must answer the
 * original message, never a second one; seqs the victim committed but never got into Kafka reach it
 * through the resend or the survivor's outbox.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TransferLossFaultIT {
  private static final Logger log = LoggerFactory.getLogger(TransferLossFaultIT.class);

  /**
   * The sweep looks every 2 s by default; a row becomes due only after the longest own append (7.25
   * s with the default Kafka timeout) anyway, so looking more often costs a query, not a wait.
   */
  private static final Map<String, String> FAST_OUTBOX =
      Map.of("IM_OUTBOX_REPUBLISH_INTERVAL", "250ms");

  private static final String VICTIM = "transfer-1";

  /** An armed switch fires at the victim's next accepted message, within ms under traffic. */
  private static final Duration KILLED_WITHIN = Duration.ofSeconds(30);

  /** A row is due 7.25 s after its commit; this leaves room for a sweep or two on a busy box. */
  private static final Duration OUTBOX_DRAINED_WITHIN = Duration.ofSeconds(30);

  @Test
  void aTransferInstanceStopsMidTraffic_resendsKeepTheirMessage_nothingLostOrDuplicated()
      throws Exception {
    FaultScale scale = FaultScale.fromSystemProperties();
    DeliveryChecker checker = new DeliveryChecker();
    KillSwitch killSwitch = new KillSwitch();
    try (FaultCluster cluster =
            FaultCluster.start(
                "transfer-loss",
                FAST_OUTBOX,
                new FaultHooks(
                    Map.of(VICTIM, killSwitch.betweenCommitAndAppend()), IngestHooks.NONE));
        ChatTraffic traffic = new ChatTraffic(cluster.apiUrl(), checker)) {
      TransferServer victim = cluster.cluster().transfers().get(0);
      assertThat(victim.instanceId()).isEqualTo(VICTIM);
      killSwitch.attach(victim::crash);
      List<FaultClient> clients = traffic.connectClients("xfer", scale.clients());

      int total = traffic.warmUpPairs(clients) + scale.pairTotal();
      long startedAt = System.nanoTime();
      CompletableFuture<Void> sending = traffic.sendInPairs(clients, scale.perClient());
      traffic.awaitSent(total / 3, FaultScale.budget(scale.pairTotal()));
      long sentAtKill = traffic.sentCount();
      String inHand = killSwitch.killAtNextSeam(KILLED_WITHIN);
      log.info(
          "{} killed after {} SENT, with {}; {} outbox rows not confirmed in Kafka yet",
          victim.instanceId(),
          sentAtKill,
          inHand,
          cluster.queryLong("SELECT COUNT(*) FROM outbox_batch"));

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
      FaultAssertions.assertOutboxDrained(cluster, OUTBOX_DRAINED_WITHIN);
      // Which path closed the victim's holes: a resend re-produces an unconfirmed original, the
      // sweep what nobody resent (or whose published mark the crash dropped).
      int survivorMetrics = cluster.cluster().transfers().get(1).metricsPort();
      log.info(
          "transfer loss: the survivor answered {} resends from their original and republished {}"
              + " messages from the outbox",
          (long) FaultCluster.metric(survivorMetrics, "transfer_messages_duplicates_total"),
          (long) FaultCluster.metric(survivorMetrics, "transfer_outbox_republished_total"));
    }
  }
}
