package dev.switchboard.offlinestore.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.OfflineStoreServer;
import dev.switchboard.offlinestore.ingest.IngestHooks;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.SyncRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link OfflineStoreServer#crash()} against {@code close()} at the seam that matters: a batch in
 * MySQL whose offsets are not committed yet. close() commits them; crash() commits nothing (not
 * even when it runs on the consumer thread itself, as the fault tests call it), cuts RPCs off and
 * leaves discovery at once; the next instance reads the batch again and stores everything once.
 */
@ExtendWith(InfraExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OfflineStoreCrashIT {
  private static final Duration STORED_WITHIN = Duration.ofSeconds(30);

  private final Messages messages = new Messages();

  private List<ChatMsg> tenConversations() {
    List<ChatMsg> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.addAll(messages.conversation(messages.newUser(), messages.newUser(), 1, 30));
    }
    return all;
  }

  private static Map<String, String> env(
      LogWriter topic, String group, TestDatabase db, EmbeddedZooKeeper zk) {
    Map<String, String> env = OfflineStoreFixture.env(topic, group, db, zk.connectString());
    // A first batch smaller than the log, so the crash leaves records nobody stored yet.
    env.put("IM_OFFLINE_BATCH_MAX_RECORDS", "100");
    return env;
  }

  @Test
  void
      crashOnTheConsumerThread_betweenDatabaseAndOffsetCommit_commitsNothing_nextInstanceStoresAllOnce(
          EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    List<ChatMsg> all = tenConversations();
    TestDatabase db = TestDatabase.create(mariaDb, "offline_crash_hook");
    String group = "offline-it-" + UUID.randomUUID();
    CompletableFuture<OfflineStoreServer> victim = new CompletableFuture<>();
    AtomicInteger batchesStored = new AtomicInteger();
    IngestHooks killAtFirstBatch =
        new IngestHooks() {
          @Override
          public void afterDatabaseCommit(int records) {
            if (batchesStored.incrementAndGet() == 1) {
              victim.join().crash();
            }
          }
        };
    try (LogWriter topic = new LogWriter(kafka.bootstrapServers(), "it.crash." + group, 3);
        CuratorFramework client =
            ZooKeeperClients.connect(zk.connectString(), Duration.ofSeconds(10));
        Discovery discovery = new Discovery(client)) {
      ServiceDirectory stores = discovery.directory(ServiceNames.OFFLINE_STORE);
      topic.chats(all);
      try (OfflineStoreFixture first =
          OfflineStoreFixture.start(env(topic, group, db, zk), killAtFirstBatch)) {
        String firstId = first.server.instanceId();
        victim.complete(first.server);
        await().atMost(STORED_WITHIN).until(() -> first.server.consumersRunning() == 0);

        assertThat(batchesStored).as("batches stored before and after the kill").hasValue(1);
        long storedByFirst = db.count("SELECT COUNT(*) FROM message");
        assertThat(storedByFirst).isBetween(1L, (long) all.size() - 1);
        assertThat(topic.committed(group)).as("offsets committed by the victim").isEmpty();
        assertThatThrownBy(
                () ->
                    first
                        .stub()
                        .sync(SyncRequest.newBuilder().setUserId(1).setDeviceId("phone").build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> stores.all().stream().map(ServiceEndpoint::id).noneMatch(firstId::equals));
      }

      try (OfflineStoreFixture second = OfflineStoreFixture.start(env(topic, group, db, zk))) {
        await()
            .atMost(STORED_WITHIN)
            .until(() -> topic.committed(group).equals(topic.nonEmptyEndOffsets()));
        // It read the victim's batch again: every message, including those already in MySQL.
        assertThat(second.server.metrics().chatsStored()).isEqualTo(all.size());
      }
    }
    assertThat(db.count("SELECT COUNT(*) FROM message")).isEqualTo(all.size());
    assertThat(db.count("SELECT COUNT(DISTINCT msg_id) FROM message")).isEqualTo(all.size());
    assertThat(db.count("SELECT COUNT(*) FROM conversation WHERE last_seq = 30")).isEqualTo(10);
  }

  @Test
  void closeWhileABatchWaitsForItsOffsetCommit_commitsWhatItStored(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    List<ChatMsg> all = tenConversations();
    TestDatabase db = TestDatabase.create(mariaDb, "offline_close_seam");
    String group = "offline-it-" + UUID.randomUUID();
    CountDownLatch inSeam = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger batchesStored = new AtomicInteger();
    IngestHooks holdFirstBatch =
        new IngestHooks() {
          @Override
          public void afterDatabaseCommit(int records) {
            if (batchesStored.incrementAndGet() == 1) {
              inSeam.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    try (LogWriter topic = new LogWriter(kafka.bootstrapServers(), "it.close." + group, 3)) {
      topic.chats(all);
      OfflineStoreFixture store =
          OfflineStoreFixture.start(env(topic, group, db, zk), holdFirstBatch);
      assertThat(inSeam.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> closing =
          CompletableFuture.runAsync(
              () -> {
                try {
                  store.close();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      release.countDown();
      closing.get(30, TimeUnit.SECONDS);

      // Whatever it stored before it stopped (the held batch, maybe more), it committed.
      assertThat(topic.committed(group).values().stream().mapToLong(Long::longValue).sum())
          .as("offsets committed for what is in MySQL")
          .isEqualTo(db.count("SELECT COUNT(*) FROM message"))
          .isPositive();
    }
  }
}
