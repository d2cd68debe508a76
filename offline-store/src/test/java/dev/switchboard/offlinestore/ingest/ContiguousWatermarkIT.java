package dev.switchboard.offlinestore.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.it.Messages;
import dev.switchboard.offlinestore.it.TestDatabase;
import dev.switchboard.offlinestore.store.Databases;
import dev.switchboard.proto.ChatMsg;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * conversation.contiguous_seq (every seq up to it stored) as the consumer keeps it, batch by batch
 * straight through {@link BatchWriter}: seqs arrive in any order, replayed, from concurrent
 * writers, and the watermark is exact after every commit.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContiguousWatermarkIT {
  private final Messages messages = new Messages();
  private EmbeddedMariaDb mariaDb;
  private TestDatabase db;
  private HikariDataSource pool;
  private BatchWriter writer;

  @BeforeAll
  void start(EmbeddedMariaDb mariaDb) {
    this.mariaDb = mariaDb;
    db = TestDatabase.create(mariaDb, "offline_watermark");
    pool = Databases.pool(db.url, db.user, db.password, 4, "it-watermark");
    Databases.migrate(pool);
    writer = new BatchWriter(pool);
  }

  @AfterAll
  void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void inOrderBatches_moveTheWatermarkWithTheHead() throws Exception {
    List<ChatMsg> sent = messages.conversation(messages.newUser(), messages.newUser(), 1, 7);
    writer.write(sent.subList(0, 3), List.of());
    assertThat(watermark(sent)).isEqualTo(3);
    writer.write(sent.subList(3, 7), List.of());
    assertThat(watermark(sent)).isEqualTo(7);
  }

  @Test
  void aHole_holdsTheWatermark_untilItIsFilled_replaysChangeNothing() throws Exception {
    List<ChatMsg> sent = messages.conversation(messages.newUser(), messages.newUser(), 1, 8);
    writer.write(sent.subList(0, 3), List.of());
    writer.write(List.of(sent.get(4), sent.get(7)), List.of()); // 5 and 8; 4, 6, 7 in flight
    assertThat(watermark(sent)).isEqualTo(3);
    assertThat(db.count("SELECT last_seq FROM conversation WHERE conversation_id = ?", id(sent)))
        .isEqualTo(8);

    writer.write(sent.subList(0, 3), List.of()); // a replay of stored seqs
    assertThat(watermark(sent)).isEqualTo(3);
    writer.write(List.of(sent.get(3)), List.of()); // 4: runs over 5, stops at 6
    assertThat(watermark(sent)).isEqualTo(5);
    writer.write(List.of(sent.get(6), sent.get(5)), List.of()); // 7 and 6: runs over 8
    assertThat(watermark(sent)).isEqualTo(8);
  }

  @Test
  void aWatermarkLeftBehind_isRepairedByTheNextBatchAboveIt() throws Exception {
    List<ChatMsg> sent = messages.conversation(messages.newUser(), messages.newUser(), 1, 7);
    writer.write(sent.subList(0, 5), List.of());
    // As if 3..5 had been stored by an instance older than the watermark.
    db.execute(
        "UPDATE conversation SET contiguous_seq = 2 WHERE conversation_id = '" + id(sent) + "'");

    writer.write(sent.subList(6, 7), List.of()); // 7: the batch does not hold 3

    assertThat(watermark(sent)).isEqualTo(5); // 3..5 followed, 6 still missing
  }

  @Test
  void aLongRunStoredAheadOfTheFirstSeq_isFollowedToItsEnd() throws Exception {
    List<ChatMsg> sent = messages.conversation(messages.newUser(), messages.newUser(), 1, 1_201);
    for (int from = 1; from < sent.size(); from += 400) {
      writer.write(sent.subList(from, Math.min(from + 400, sent.size())), List.of());
    }
    assertThat(watermark(sent)).isZero();

    writer.write(sent.subList(0, 1), List.of());

    assertThat(watermark(sent)).isEqualTo(1_201); // over more than two read chunks
  }

  @Test
  void concurrentWritersOfOneConversation_inAnyOrder_endAtTheLastSeq() throws Exception {
    List<ChatMsg> sent = messages.conversation(messages.newUser(), messages.newUser(), 1, 400);
    List<ChatMsg> shuffled = new ArrayList<>(sent);
    Collections.shuffle(shuffled, new Random(42));
    ExecutorService writers = Executors.newFixedThreadPool(3);
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        int first = w;
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = first * 10; i < shuffled.size(); i += 30) {
                    writeRetrying(shuffled.subList(i, Math.min(i + 10, shuffled.size())));
                  }
                },
                writers));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      writers.shutdownNow();
    }
    assertThat(db.count("SELECT COUNT(*) FROM message WHERE conversation_id = ?", id(sent)))
        .isEqualTo(400);
    assertThat(watermark(sent)).isEqualTo(400);
  }

  @Test
  void migration_setsTheWatermarkOfConversationsStoredBeforeIt() throws Exception {
    TestDatabase old = TestDatabase.create(mariaDb, "offline_watermark_v1");
    try (HikariDataSource v1 = Databases.pool(old.url, old.user, old.password, 2, "it-v1")) {
      Flyway.configure()
          .dataSource(v1)
          .locations(Databases.MIGRATIONS)
          .table(Databases.HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .target("1")
          .load()
          .migrate();
      try (Connection c = v1.getConnection()) {
        storeV1(c, "s_1_2", 1, 2, 3, 4, 5);
        storeV1(c, "s_1_3", 1, 2, 3, 5, 6);
        storeV1(c, "s_1_4", 2, 3);
        storeV1(c, "s_1_5", 1);
      }

      Databases.migrate(v1);
    }

    assertThat(old.longs("SELECT contiguous_seq FROM conversation ORDER BY conversation_id"))
        .containsExactly(5L, 3L, 0L, 1L);
  }

  private void writeRetrying(List<ChatMsg> batch) {
    // The consumer retries a batch MySQL refused (e.g. a deadlock victim); so does this writer.
    for (int attempt = 1; ; attempt++) {
      try {
        writer.write(batch, List.of());
        return;
      } catch (java.sql.SQLException e) {
        if (attempt == 10) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** Rows as V1 stored them: messages and the conversation head, no watermark yet. */
  private static void storeV1(Connection c, String conversationId, long... seqs) throws Exception {
    try (PreparedStatement message =
            c.prepareStatement(
                "INSERT INTO message (conversation_id, seq, msg_id, sender_id, dest_id,"
                    + " conversation_type, content_type, sent_at_ms, msg)"
                    + " VALUES (?, ?, ?, 1, 2, 1, 1, 0, ?)");
        PreparedStatement conversation =
            c.prepareStatement(
                "INSERT INTO conversation (conversation_id, conversation_type, last_seq,"
                    + " last_msg_id, last_sent_at_ms) VALUES (?, 1, ?, 0, 0)")) {
      for (long seq : seqs) {
        message.setString(1, conversationId);
        message.setLong(2, seq);
        message.setLong(3, conversationId.hashCode() * 100L + seq);
        message.setBytes(4, new byte[8]);
        message.executeUpdate();
      }
      conversation.setString(1, conversationId);
      conversation.setLong(2, seqs[seqs.length - 1]);
      conversation.executeUpdate();
    }
  }

  private long watermark(List<ChatMsg> sent) throws Exception {
    return db.count("SELECT contiguous_seq FROM conversation WHERE conversation_id = ?", id(sent));
  }

  private static String id(List<ChatMsg> sent) {
    return sent.get(0).getConversationId();
  }
}
