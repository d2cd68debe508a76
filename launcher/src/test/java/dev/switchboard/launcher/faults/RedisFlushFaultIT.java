package dev.switchboard.launcher.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.rest.Presence;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * Fault 3: Redis loses everything (FLUSHALL) mid-traffic. Seqs live in MySQL, so none is issued
 * twice (no duplicate send, no hole); the routes are gone until the connectors' next renewal puts
 * them back (IM_ROUTE_RENEW_INTERVAL=1s here), and what was not pushed meanwhile is synced.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RedisFlushFaultIT {
  private static final Logger log = LoggerFactory.getLogger(RedisFlushFaultIT.class);

  @Test
  void redisIsFlushedMidTraffic_noSeqReused_nothingLost_routesComeBackByRenewal() throws Exception {
    FaultScale scale = FaultScale.fromSystemProperties();
    DeliveryChecker checker = new DeliveryChecker();
    try (FaultCluster cluster =
            FaultCluster.start("redis-flush", Map.of("IM_ROUTE_RENEW_INTERVAL", "1s"));
        ChatTraffic traffic = new ChatTraffic(cluster.apiUrl(), checker);
        RedisClient redis = RedisClient.create(URI.create(cluster.setting("IM_REDIS_URL")))) {
      List<FaultClient> clients = traffic.connectClients("flush", scale.clients());
      List<Long> userIds = clients.stream().map(FaultClient::id).toList();
      String token = clients.get(0).firstSession.token();

      int total = traffic.warmUpPairs(clients) + scale.pairTotal();
      long startedAt = System.nanoTime();
      CompletableFuture<Void> sending = traffic.sendInPairs(clients, scale.perClient());
      traffic.awaitSent(total / 3, FaultScale.budget(scale.pairTotal()));
      String flushed = redis.flushAll();
      long flushedAt = System.nanoTime();
      log.info("Redis FLUSHALL ({}) after {} SENT", flushed, traffic.sentCount());

      // The renewals (every second) register every session again.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> traffic.api().presence(token, userIds).stream().allMatch(Presence::online));
      log.info(
          "all {} sessions registered again {} ms after the flush",
          clients.size(),
          (System.nanoTime() - flushedAt) / 1_000_000);

      ChatTraffic.waitFor(sending, FaultScale.budget(scale.pairTotal()));
      long sendMs = (System.nanoTime() - startedAt) / 1_000_000;
      long deliverMs = traffic.awaitDelivered(FaultScale.budget(scale.pairTotal()));

      DeliveryChecker.Report report = checker.report();
      log.info(
          "redis flush: {} in {} ms sending + {} ms until delivered; resends {}",
          report,
          sendMs,
          deliverMs,
          traffic.failures());
      FaultAssertions.assertClean(report, total);
      FaultAssertions.assertStoredOnce(cluster, report.sent());
      assertThat(clients).allSatisfy(c -> assertThat(c.client().isConnected()).isTrue());
    }
  }
}
