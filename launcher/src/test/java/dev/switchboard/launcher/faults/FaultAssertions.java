package dev.switchboard.launcher.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.devkit.delivery.DeliveryChecker;
import java.time.Duration;

/** The checks every fault run ends with. */
final class FaultAssertions {
  private FaultAssertions() {}

  /**
   * Lost 0, duplicates 0, order violations 0, no seq hole and no client_msg_id that became two
   * messages; and every message of the run was SENT.
   */
  static void assertClean(DeliveryChecker.Report report, long expectedSent) {
    assertThat(report.lost()).as("lost: %s", report).isZero();
    assertThat(report.duplicates()).as("duplicates: %s", report).isZero();
    assertThat(report.orderViolations()).as("order violations: %s", report).isZero();
    assertThat(report.gaps()).as("seq gaps: %s", report).isZero();
    assertThat(report.duplicateSends()).as("client_msg_ids with two messages: %s", report).isZero();
    assertThat(report.clean()).as(report.toString()).isTrue();
    assertThat(report.sent()).as("SENT: %s", report).isEqualTo(expectedSent);
  }

  /**
   * Every SENT message is in MySQL exactly once: once among transfer's accepted messages (a resent
   * client_msg_id never became a second message) and, once offline-store has caught up, once in
   * offline-store's message table.
   */
  static void assertStoredOnce(FaultCluster cluster, long sent) throws Exception {
    assertThat(cluster.queryLong("SELECT COUNT(*) FROM accepted_message"))
        .as("messages accepted by transfer")
        .isEqualTo(sent);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(cluster.queryLong("SELECT COUNT(*) FROM message"))
                    .as("messages stored by offline-store, waiting for all of them")
                    .isGreaterThanOrEqualTo(sent));
    assertThat(cluster.queryLong("SELECT COUNT(*) FROM message"))
        .as("messages stored by offline-store")
        .isEqualTo(sent);
    assertThat(cluster.queryLong("SELECT COUNT(DISTINCT msg_id) FROM message"))
        .as("distinct message ids stored by offline-store")
        .isEqualTo(sent);
  }

  /**
   * Every accepted message reached Kafka and was marked so: the outbox ({@code outbox_batch})
   * empties once the republish sweep has run over what a fault left in it.
   */
  static void assertOutboxDrained(FaultCluster cluster, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(cluster.queryLong("SELECT COUNT(*) FROM outbox_batch"))
                    .as("accepted messages not yet confirmed in Kafka (outbox rows)")
                    .isZero());
  }
}
