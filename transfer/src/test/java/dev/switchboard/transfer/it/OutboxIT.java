package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.internal.MessageEvent;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.transfer.log.MessageLog;
import dev.switchboard.transfer.ops.TransferMetrics;
import dev.switchboard.transfer.outbox.OutboxRow;
import dev.switchboard.transfer.outbox.OutboxTable;
import dev.switchboard.transfer.outbox.Republisher;
import dev.switchboard.transfer.sequence.MessageStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The outbox closes seq holes: a message whose seq committed but whose Kafka append was never
 * confirmed reaches the log without any client retry.
 */
@ExtendWith(InfraExtension.class)
class OutboxIT {
  private static final Duration DELIVERY = Duration.ofSeconds(1);

  private static ChatMsg text(long from, long dest, String clientMsgId) {
    return ChatMsg.newBuilder()
        .setFromId(from)
        .setFromDeviceId("phone")
        .setDestId(dest)
        .setClientMsgId(clientMsgId)
        .setMsgBody("hello " + clientMsgId)
        .build();
  }

  private static Map<String, String> env(
      EmbeddedKafka kafka, String topic, TestDatabase db, EmbeddedZooKeeper zk) {
    Map<String, String> env =
        TransferFixture.env(kafka.bootstrapServers(), topic, db, zk.connectString());
    env.put("IM_KAFKA_DELIVERY_TIMEOUT", DELIVERY.toMillis() + "ms");
    env.put("IM_OUTBOX_REPUBLISH_INTERVAL", "250ms");
    return env;
  }

  private static long unpublished(TestDatabase db, long msgId) throws Exception {
    return OutboxRows.naming(db, msgId);
  }

  @Test
  void sentMessage_isMarkedPublished_andLeavesTheOutbox(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_outbox_ok");
    db.createUsersTable();
    db.insertUsers(1, 2);
    try (TransferFixture transfer =
        TransferFixture.start(env(kafka, "it.outbox.ok." + UUID.randomUUID(), db, zk))) {
      AckMsg sent = transfer.send(text(1, 2, "ok-1")).getSent();
      await().atMost(Duration.ofSeconds(10)).until(() -> unpublished(db, sent.getAckMsgId()) == 0);
      assertThat(OutboxRows.published(db, sent.getAckMsgId())).isTrue();
      assertThat(transfer.metric("transfer_outbox_republished_total")).isZero();
    }
  }

  @Test
  void brokerDownAtSend_answersUnavailable_andWithoutAnyRetryTheMessageReachesKafkaLater(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_outbox_down");
    db.createUsersTable();
    db.insertUsers(1, 2);
    String topic = "it.outbox.down." + UUID.randomUUID();
    try (TransferFixture transfer = TransferFixture.start(env(kafka, topic, db, zk))) {
      assertThat(transfer.send(text(1, 2, "before")).getSent().getSeq()).isEqualTo(1);

      kafka.stop();
      SendChatResponse down;
      try {
        down = transfer.send(text(1, 2, "during"));
      } finally {
        kafka.startAgain();
      }
      assertThat(down.hasSent()).as("%s", down).isFalse();
      assertThat(down.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(down.getError().getMessage())
          .isEqualTo("not confirmed durable yet; retry with the same client_msg_id");
      long msgId =
          db.count(
              "SELECT msg_id FROM accepted_message WHERE sender_id = 1 AND client_msg_id = ?",
              "during");
      assertThat(unpublished(db, msgId)).isOne();

      // No client retry: the republisher alone brings seq 2 into the log.
      try (MessageLogReader log = new MessageLogReader(kafka.bootstrapServers(), topic)) {
        List<ChatMsg> logged =
            await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> log.chats(m -> m.getId() == msgId), list -> !list.isEmpty());
        assertThat(logged.get(0).getSeq()).isEqualTo(2);
        assertThat(logged.get(0).getClientMsgId()).isEqualTo("during");
        assertThat(log.poll())
            .filteredOn(e -> e.event().hasChat() && e.event().getChat().getId() == msgId)
            .extracting(MessageLogReader.Entry::key)
            .containsOnly("s_1_2");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> OutboxRows.published(db, msgId));
      assertThat(unpublished(db, msgId)).isZero();
      assertThat(transfer.metric("transfer_outbox_republished_total")).isGreaterThanOrEqualTo(1);
    } finally {
      kafka.startAgain();
    }
  }

  @Test
  void instanceDyingBetweenCommitAndAck_leavesTheMessageToAnotherInstancesRepublisher(
      EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_outbox_crash");
    db.createUsersTable();
    db.insertUsers(1, 2);
    String topic = "it.outbox.crash." + UUID.randomUUID();
    Map<String, String> dying = env(kafka, topic, db, zk);
    dying.put("IM_OUTBOX_REPUBLISH_INTERVAL", "1h"); // it dies before it would republish
    try (TransferFixture survivor = TransferFixture.start(env(kafka, topic, db, zk));
        MessageLogReader log = new MessageLogReader(kafka.bootstrapServers(), topic)) {
      try (TransferFixture victim =
          TransferFixture.start(
              dying,
              accepted -> {
                throw new IllegalStateException("simulated crash after commit");
              })) {
        assertThatThrownBy(() -> victim.send(text(1, 2, "crash-1")))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
      }
      long msgId =
          db.count(
              "SELECT msg_id FROM accepted_message WHERE sender_id = 1 AND client_msg_id = ?",
              "crash-1");
      assertThat(log.chats(m -> m.getId() == msgId)).isEmpty();

      List<ChatMsg> logged = log.awaitChats(m -> m.getId() == msgId, 1);
      assertThat(logged.get(0).getSeq()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> OutboxRows.published(db, msgId));
      assertThat(survivor.metric("transfer_outbox_republished_total")).isEqualTo(1);
      // The conversation goes on without a hole.
      assertThat(survivor.send(text(2, 1, "next")).getSent().getSeq()).isEqualTo(2);
    }
  }

  @Test
  void concurrentRepublishers_produceEachMessageOnce_andThenNothing(EmbeddedMariaDb mariaDb)
      throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_outbox_race");
    try (HikariDataSource pool = db.migratedPool()) {
      int messages = 60;
      List<Long> ids = acceptUnpublished(pool, messages, System.currentTimeMillis() - 60_000);

      int republishers = 4;
      List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
      List<Republisher> instances = new ArrayList<>();
      for (int i = 0; i < republishers; i++) {
        MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        producers.add(producer);
        instances.add(republisher(pool, producer, 7));
      }
      ExecutorService threads = Executors.newFixedThreadPool(republishers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> passes = new ArrayList<>();
      for (Republisher republisher : instances) {
        passes.add(
            threads.submit(
                () -> {
                  go.await();
                  return republisher.republishDue();
                }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> pass : passes) {
        total += pass.get(30, TimeUnit.SECONDS);
      }
      threads.shutdown();

      // Every message exactly once over all instances: claims kept them from producing it twice.
      assertThat(total).isEqualTo(messages);
      Set<Long> produced = new HashSet<>();
      for (MockProducer<byte[], byte[]> producer : producers) {
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
          assertThat(produced.add(MessageEvent.parseFrom(record.value()).getChat().getId()))
              .isTrue();
        }
      }
      assertThat(produced).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(OutboxRows.rows(db)).isZero();
      assertThat(OutboxRows.unconfirmedMessages(db)).isZero();

      // Nothing left: further passes produce nothing.
      for (Republisher republisher : instances) {
        assertThat(republisher.republishDue()).isZero();
      }
      assertThat(producers.stream().mapToInt(p -> p.history().size()).sum()).isEqualTo(messages);
    }
  }

  @Test
  void failedRepublish_keepsItsClaim_soNoInstanceRetriesItInAHotLoop(EmbeddedMariaDb mariaDb)
      throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_outbox_claim");
    try (HikariDataSource pool = db.migratedPool()) {
      List<Long> ids = acceptUnpublished(pool, 3, System.currentTimeMillis() - 60_000);
      // A broker that never acknowledges.
      MockProducer<byte[], byte[]> silent =
          new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
      Republisher failing = republisher(pool, silent, 10);

      assertThat(failing.republishDue()).isZero();
      assertThat(silent.history()).hasSize(3);
      assertThat(OutboxRows.rows(db)).isEqualTo(3);
      assertThat(
              db.count(
                  "SELECT MIN(claimed_until_ms) FROM outbox_batch WHERE id IN (?,?,?)",
                  ids.get(0),
                  ids.get(1),
                  ids.get(2)))
          .isGreaterThan(System.currentTimeMillis());

      // Neither it nor another instance touches the rows while the claim holds.
      MockProducer<byte[], byte[]> other =
          new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
      assertThat(republisher(pool, other, 10).republishDue()).isZero();
      assertThat(failing.republishDue()).isZero();
      assertThat(other.history()).isEmpty();
      assertThat(silent.history()).hasSize(3);

      // Once the claim expired, the next pass takes them.
      db.execute("UPDATE outbox_batch SET claimed_until_ms = 0");
      assertThat(republisher(pool, other, 10).republishDue()).isEqualTo(3);
    }
  }

  /**
   * A row names a whole batch: all of its messages are produced again, and the row stays until the
   * broker acknowledged every one of them (a message it names that is not stored does not hold it).
   */
  @Test
  void aBatchRow_isRepublishedWhole_andGoesOnlyOnceEveryMessageIsAcknowledged(
      EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_outbox_batch");
    try (HikariDataSource pool = db.migratedPool()) {
      long sentAt = System.currentTimeMillis() - 60_000;
      List<Long> ids = acceptUnpublished(pool, 3, sentAt);
      // As the sequencer writes a batch of three: one row, named by the smallest id.
      long rowId = ids.get(0);
      List<Long> named = new ArrayList<>(ids);
      named.add(999_999L); // not stored
      db.execute("DELETE FROM outbox_batch");
      db.execute(
          "INSERT INTO outbox_batch (id, sent_at_ms, msg_ids) VALUES (?, ?, ?)",
          rowId,
          sentAt,
          OutboxRow.pack(named));
      db.execute("UPDATE accepted_message SET outbox_id = ?", rowId);

      // Two of three acknowledged: the row stays, claimed.
      MockProducer<byte[], byte[]> partial =
          new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        // Long enough for this thread to answer the three sends by hand.
        Republisher slow = republisher(pool, partial, 10, Duration.ofSeconds(20));
        Future<Integer> pass = thread.submit(slow::republishDue);
        await().atMost(Duration.ofSeconds(10)).until(() -> partial.history().size() == 3);
        partial.completeNext();
        partial.completeNext();
        partial.errorNext(new org.apache.kafka.common.errors.TimeoutException("not this one"));
        assertThat(pass.get(30, TimeUnit.SECONDS)).isEqualTo(2);
      } finally {
        thread.shutdownNow();
      }
      assertThat(OutboxRows.rows(db)).isOne();
      assertThat(ids).allSatisfy(id -> assertThat(OutboxRows.published(db, id)).isFalse());

      // All three acknowledged: the row goes, and with it every message is known published.
      db.execute("UPDATE outbox_batch SET claimed_until_ms = 0");
      MockProducer<byte[], byte[]> healthy =
          new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
      assertThat(republisher(pool, healthy, 10).republishDue()).isEqualTo(3);
      assertThat(healthy.history())
          .extracting(r -> MessageEvent.parseFrom(r.value()).getChat().getId())
          .containsExactlyInAnyOrderElementsOf(ids);
      assertThat(OutboxRows.rows(db)).isZero();
      assertThat(ids).allSatisfy(id -> assertThat(OutboxRows.published(db, id)).isTrue());
    }
  }

  /**
   * A row whose msg_ids column is not a list of ids holds nobody else up and is left in place: its
   * messages cannot be told, so they must not count as published.
   */
  @Test
  void aDamagedRow_isLeftInPlace_andTheRowsBehindItAreRepublished(EmbeddedMariaDb mariaDb)
      throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_outbox_damaged");
    try (HikariDataSource pool = db.migratedPool()) {
      long sentAt = System.currentTimeMillis() - 60_000;
      db.execute(
          "INSERT INTO outbox_batch (id, sent_at_ms, msg_ids) VALUES (1, ?, ?)",
          sentAt - 1_000,
          new byte[12]);
      List<Long> ids = acceptUnpublished(pool, 2, sentAt);

      MockProducer<byte[], byte[]> producer =
          new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
      assertThat(republisher(pool, producer, 10).republishDue()).isEqualTo(2);
      assertThat(producer.history())
          .extracting(r -> MessageEvent.parseFrom(r.value()).getChat().getId())
          .containsExactlyInAnyOrderElementsOf(ids);
      assertThat(ids).allSatisfy(id -> assertThat(OutboxRows.published(db, id)).isTrue());
      assertThat(db.count("SELECT COUNT(*) FROM outbox_batch WHERE id = 1")).isOne();
      // Claimed like the others, so the next pass does not take it up again at once.
      assertThat(db.count("SELECT claimed_until_ms FROM outbox_batch WHERE id = 1"))
          .isGreaterThan(System.currentTimeMillis());
    }
  }

  /** Messages committed by the sequencer whose append never happened, as after a crash. */
  private static List<Long> acceptUnpublished(HikariDataSource pool, int count, long sentAtMs) {
    MessageStore store = new MessageStore(pool);
    AtomicLong nextId = new AtomicLong(1_000);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ChatMsg msg =
          text(1 + i % 2, 2 - i % 2, "orphan-" + i).toBuilder().setConversationId("s_1_2").build();
      ids.add(store.accept(msg, nextId::incrementAndGet, sentAtMs).message().getId());
    }
    return ids;
  }

  private static Republisher republisher(
      HikariDataSource pool, MockProducer<byte[], byte[]> producer, int batchSize) {
    return republisher(pool, producer, batchSize, Duration.ofMillis(200));
  }

  private static Republisher republisher(
      HikariDataSource pool,
      MockProducer<byte[], byte[]> producer,
      int batchSize,
      Duration deliveryTimeout) {
    MessageLog log = new MessageLog(producer, "it.outbox.mock", deliveryTimeout);
    return new Republisher(
        new OutboxTable(pool),
        log,
        new TransferMetrics(new SimpleMeterRegistry()),
        Clock.systemUTC(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        batchSize);
  }
}
