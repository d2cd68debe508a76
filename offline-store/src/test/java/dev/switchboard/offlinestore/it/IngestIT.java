package dev.switchboard.offlinestore.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.ingest.IngestGroup;
import dev.switchboard.offlinestore.ingest.IngestHooks;
import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.Databases;
import dev.switchboard.offlinestore.store.StoreProgress;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.MessageEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer against real Kafka and MariaDB: records produced exactly as transfer produces them
 * end up in MySQL exactly once, whatever is replayed, garbled or interrupted. Each test has its own
 * topic, consumer group and database.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestIT {
  private static final Logger log = LoggerFactory.getLogger(IngestIT.class);
  private static final Duration STORED_WITHIN = Duration.ofSeconds(30);

  private final Messages messages = new Messages();
  private EmbeddedMariaDb mariaDb;
  private EmbeddedKafka kafka;
  private EmbeddedZooKeeper zk;

  @BeforeAll
  void infrastructure(EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) {
    this.mariaDb = mariaDb;
    this.kafka = kafka;
    this.zk = zk;
  }

  private LogWriter newTopic(int partitions) throws Exception {
    return new LogWriter(kafka.bootstrapServers(), "it.offline." + UUID.randomUUID(), partitions);
  }

  private static String newGroup() {
    return "offline-it-" + UUID.randomUUID();
  }

  @Test
  void manyMessages_areStoredExactlyOnce_andOffsetsCommitted() throws Exception {
    int conversations = 200;
    int perConversation = 100;
    List<ChatMsg> all = new ArrayList<>();
    for (int i = 0; i < conversations; i++) {
      all.addAll(messages.conversation(messages.newUser(), messages.newUser(), 1, perConversation));
    }
    TestDatabase db = TestDatabase.create(mariaDb, "offline_ingest");
    String group = newGroup();
    try (LogWriter topic = newTopic(6)) {
      topic.chats(all);
      long startedAt = System.nanoTime();
      try (OfflineStoreFixture store =
          OfflineStoreFixture.start(
              OfflineStoreFixture.env(topic, group, db, zk.connectString()))) {
        long[] firstRowAt = {0};
        await()
            .atMost(STORED_WITHIN)
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> {
                  long stored = db.count("SELECT COUNT(*) FROM message");
                  if (stored > 0 && firstRowAt[0] == 0) {
                    firstRowAt[0] = System.nanoTime();
                  }
                  return stored == all.size();
                });
        long doneAt = System.nanoTime();
        double seconds = (doneAt - firstRowAt[0]) / 1e9;
        log.info(
            "stored {} messages in {} ms from the first row ({} ms from server start): {} rows/s,"
                + " 1 consumer, batches of 500, load average {}",
            all.size(),
            (doneAt - firstRowAt[0]) / 1_000_000,
            (doneAt - startedAt) / 1_000_000,
            Math.round(all.size() / Math.max(seconds, 0.001)),
            loadAverage());

        await()
            .atMost(STORED_WITHIN)
            .until(() -> topic.committed(group).equals(topic.nonEmptyEndOffsets()));
      }
    }
    assertThat(db.count("SELECT COUNT(DISTINCT msg_id) FROM message")).isEqualTo(all.size());
    // Every conversation holds exactly seqs 1..100, its head points at seq 100.
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM (SELECT conversation_id FROM message GROUP BY conversation_id"
                    + " HAVING COUNT(*) = ? AND MIN(seq) = 1 AND MAX(seq) = ?) full",
                perConversation,
                perConversation))
        .isEqualTo(conversations);
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM conversation c JOIN message m"
                    + " ON m.conversation_id = c.conversation_id AND m.seq = c.last_seq"
                    + " WHERE c.last_seq = ? AND c.last_msg_id = m.msg_id",
                perConversation))
        .isEqualTo(conversations);
    assertThat(db.count("SELECT COUNT(*) FROM user_conversation")).isEqualTo(2L * conversations);
  }

  @Test
  void recordsDeliveredTwice_areStoredOnce() throws Exception {
    long a = messages.newUser();
    long b = messages.newUser();
    List<ChatMsg> conversation = messages.conversation(a, b, 1, 50);
    TestDatabase db = TestDatabase.create(mariaDb, "offline_redelivery");
    String group = newGroup();
    try (LogWriter topic = newTopic(2)) {
      topic.chats(conversation);
      topic.chats(conversation); // a producer retry or a replay after a crash
      try (OfflineStoreFixture store =
          OfflineStoreFixture.start(
              OfflineStoreFixture.env(topic, group, db, zk.connectString()))) {
        await()
            .atMost(STORED_WITHIN)
            .until(() -> topic.committed(group).equals(topic.nonEmptyEndOffsets()));
        assertThat(store.server.metrics().chatsStored()).isEqualTo(100);
      }
    }
    assertThat(db.count("SELECT COUNT(*) FROM message")).isEqualTo(50);
    assertThat(db.longs("SELECT seq FROM message ORDER BY seq"))
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
    assertThat(db.count("SELECT last_seq FROM conversation")).isEqualTo(50);
  }

  @Test
  void seqsArrivingOutOfOrder_raiseTheHead_andTheWatermarkOnceNothingIsMissing() throws Exception {
    long a = messages.newUser();
    long b = messages.newUser();
    ChatMsg first = messages.chat(a, b, 1);
    ChatMsg second = messages.chat(b, a, 2);
    ChatMsg third = messages.chat(a, b, 3);
    TestDatabase db = TestDatabase.create(mariaDb, "offline_order");
    String group = newGroup();
    try (LogWriter topic = newTopic(1);
        OfflineStoreFixture store =
            OfflineStoreFixture.start(
                OfflineStoreFixture.env(topic, group, db, zk.connectString()))) {
      topic.chat(third);
      await().atMost(STORED_WITHIN).until(() -> db.count("SELECT COUNT(*) FROM message") == 1);
      // 3 is the highest stored seq, but 1 and 2 are still missing.
      assertThat(db.count("SELECT contiguous_seq FROM conversation")).isZero();
      topic.chats(List.of(first, second));
      await().atMost(STORED_WITHIN).until(() -> db.count("SELECT COUNT(*) FROM message") == 3);
    }
    assertThat(db.count("SELECT last_seq FROM conversation")).isEqualTo(3);
    assertThat(db.count("SELECT contiguous_seq FROM conversation")).isEqualTo(3);
    assertThat(db.count("SELECT last_msg_id FROM conversation")).isEqualTo(third.getId());
    // The sender has read up to its own last message; the recipient has read nothing yet.
    assertThat(db.count("SELECT last_read_seq FROM user_conversation WHERE user_id = ?", a))
        .isEqualTo(3);
    assertThat(db.count("SELECT last_read_seq FROM user_conversation WHERE user_id = ?", b))
        .isEqualTo(2);
  }

  @Test
  void crashBetweenDatabaseCommitAndOffsetCommit_nextServerStoresEveryMessageOnce()
      throws Exception {
    List<ChatMsg> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.addAll(messages.conversation(messages.newUser(), messages.newUser(), 1, 30));
    }
    TestDatabase db = TestDatabase.create(mariaDb, "offline_crash");
    String group = newGroup();
    try (LogWriter topic = newTopic(3)) {
      topic.chats(all);
      AtomicInteger batchesStored = new AtomicInteger();
      IngestHooks crashAfterFirstBatch =
          new IngestHooks() {
            @Override
            public void afterDatabaseCommit(int records) {
              batchesStored.incrementAndGet();
              throw new IllegalStateException("test: killed after the MySQL commit");
            }
          };
      try (OfflineStoreFixture first =
          OfflineStoreFixture.start(
              OfflineStoreFixture.env(topic, group, db, zk.connectString()),
              crashAfterFirstBatch)) {
        await().atMost(STORED_WITHIN).until(() -> first.server.consumersRunning() == 0);
      }
      assertThat(batchesStored).hasValue(1);
      long storedByFirst = db.count("SELECT COUNT(*) FROM message");
      assertThat(storedByFirst).isPositive();
      assertThat(topic.committed(group)).isEmpty();

      try (OfflineStoreFixture second =
          OfflineStoreFixture.start(
              OfflineStoreFixture.env(topic, group, db, zk.connectString()))) {
        await()
            .atMost(STORED_WITHIN)
            .until(() -> topic.committed(group).equals(topic.nonEmptyEndOffsets()));
        // The second server read everything again, including what the first had stored.
        assertThat(second.server.metrics().chatsStored()).isEqualTo(all.size());
      }
    }
    assertThat(db.count("SELECT COUNT(*) FROM message")).isEqualTo(all.size());
    assertThat(db.count("SELECT COUNT(DISTINCT msg_id) FROM message")).isEqualTo(all.size());
    assertThat(db.count("SELECT COUNT(*) FROM conversation WHERE last_seq = 30")).isEqualTo(10);
  }

  @Test
  void undecodableRecords_areSkippedAndCounted_theRestIsStored() throws Exception {
    long a = messages.newUser();
    long b = messages.newUser();
    ChatMsg before = messages.chat(a, b, 1);
    ChatMsg after = messages.chat(b, a, 2);
    String conversation = before.getConversationId();
    TestDatabase db = TestDatabase.create(mariaDb, "offline_garbage");
    String group = newGroup();
    try (LogWriter topic = newTopic(1)) {
      topic.chat(before);
      topic.raw(conversation, "not protobuf at all \u0000\u00ff".getBytes(StandardCharsets.UTF_8));
      topic.raw(
          conversation,
          MessageEvent.newBuilder()
              .setChat(messages.chat(a, b, 7).toBuilder().setConversationId("bad id with spaces"))
              .build()
              .toByteArray());
      topic.raw(conversation, MessageEvent.getDefaultInstance().toByteArray()); // unknown kind
      topic.chat(after);
      topic.receipt(messages.receipt(before, MsgType.DELIVERED));
      try (OfflineStoreFixture store =
          OfflineStoreFixture.start(
              OfflineStoreFixture.env(topic, group, db, zk.connectString()))) {
        await()
            .atMost(STORED_WITHIN)
            .until(() -> topic.committed(group).equals(topic.nonEmptyEndOffsets()));
        assertThat(store.server.metrics().invalidRecords()).isEqualTo(2);
        assertThat(store.server.consumersRunning()).isEqualTo(1);
      }
    }
    assertThat(db.longs("SELECT seq FROM message ORDER BY seq")).containsExactly(1L, 2L);
    assertThat(db.count("SELECT COUNT(*) FROM receipt WHERE user_id = ?", a)).isEqualTo(1);
  }

  @Test
  void databaseDownForAWhile_noRecordIsSkipped_allStoredAfterRecovery() throws Exception {
    List<ChatMsg> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.addAll(messages.conversation(messages.newUser(), messages.newUser(), 1, 40));
    }
    TestDatabase db = TestDatabase.create(mariaDb, "offline_outage");
    String group = newGroup();
    OfflineMetrics metrics = new OfflineMetrics(new SimpleMeterRegistry());
    try (LogWriter topic = newTopic(3);
        HikariDataSource pool = Databases.pool(db.url, db.user, db.password, 2, "it-outage")) {
      Databases.migrate(pool);
      SwitchableDataSource mysql = new SwitchableDataSource(pool);
      mysql.down(true);
      IngestGroup consumers =
          new IngestGroup(
              new IngestGroup.Settings(
                  topic.bootstrap(),
                  topic.topic(),
                  group,
                  "it-outage",
                  1,
                  50,
                  Duration.ofMillis(100),
                  Duration.ofMillis(20),
                  Duration.ofMillis(200)),
              mysql,
              IngestHooks.NONE,
              new StoreProgress(),
              metrics);
      try {
        consumers.start();
        topic.chats(all);
        // The consumer keeps trying the same batch while MySQL is "down" ...
        await().atMost(STORED_WITHIN).until(() -> metrics.databaseFailures() >= 5);
        assertThat(topic.committed(group)).isEmpty();
        assertThat(consumers.running()).isEqualTo(1);
        // ... and stores everything once it is back.
        mysql.down(false);
        await()
            .atMost(STORED_WITHIN)
            .until(() -> topic.committed(group).equals(topic.nonEmptyEndOffsets()));
      } finally {
        consumers.close();
      }
      assertThat(mysql.refused()).isGreaterThanOrEqualTo(5);
    }
    assertThat(db.count("SELECT COUNT(*) FROM message")).isEqualTo(all.size());
    assertThat(db.count("SELECT COUNT(*) FROM conversation WHERE last_seq = 40")).isEqualTo(5);
  }

  private static String loadAverage() {
    return String.format(
        "%.2f on %d cores",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
  }
}
