package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.transfer.ids.IdIssuer;
import dev.switchboard.transfer.outbox.OutboxRow;
import dev.switchboard.transfer.sequence.AcceptBatcher;
import dev.switchboard.transfer.sequence.Acceptance;
import dev.switchboard.transfer.sequence.MessageStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class AcceptBatcherIT {

  private final AtomicLong nextId = new AtomicLong(1_000);
  private final IdIssuer ids = nextId::incrementAndGet;

  private static ChatMsg msg(long from, long to, String clientMsgId) {
    long lo = Math.min(from, to);
    long hi = Math.max(from, to);
    return ChatMsg.newBuilder()
        .setFromId(from)
        .setDestId(to)
        .setClientMsgId(clientMsgId)
        .setConversationId("s_" + lo + "_" + hi)
        .setMsgBody("x")
        .build();
  }

  /**
   * Many callers at once over two instances (two batchers on one database, as two transfers): every
   * conversation gets exactly 1..n, every message once, the outbox holds every one of them, and the
   * first seq of each conversation recorded its members.
   */
  @Test
  void concurrentCallersOnTwoInstances_getContiguousSeqsPerConversation_eachMessageOnce(
      EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "batcher_many");
    int threads = 48;
    int perThread = 60;
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    try (HikariDataSource pool = db.migratedPool();
        AcceptBatcher one = new AcceptBatcher(pool, new MessageStore(pool), ids, 2, 50);
        AcceptBatcher two = new AcceptBatcher(pool, new MessageStore(pool), ids, 2, 50)) {
      List<CompletableFuture<List<Acceptance>>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        AcceptBatcher batcher = t % 2 == 0 ? one : two;
        work.add(
            CompletableFuture.supplyAsync(
                () -> {
                  List<Acceptance> out = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    // 12 conversations shared by all threads; sender = thread.
                    long peer = 1_000 + (i % 12);
                    ChatMsg m = msg(thread + 1, peer, "t" + thread + "-" + i);
                    out.add(batcher.accept(m, i, () -> false).orElseThrow());
                  }
                  return out;
                },
                callers));
      }
      Map<String, List<Long>> seqs = new HashMap<>();
      for (CompletableFuture<List<Acceptance>> w : work) {
        for (Acceptance a : w.get(2, TimeUnit.MINUTES)) {
          assertThat(a.duplicate()).isFalse();
          seqs.computeIfAbsent(a.message().getConversationId(), k -> new ArrayList<>())
              .add(a.message().getSeq());
        }
      }
      int total = threads * perThread;
      assertThat(seqs.values().stream().mapToInt(List::size).sum()).isEqualTo(total);
      for (Map.Entry<String, List<Long>> conv : seqs.entrySet()) {
        List<Long> sorted = conv.getValue().stream().sorted().toList();
        assertThat(sorted)
            .as("seqs of %s", conv.getKey())
            .isEqualTo(java.util.stream.LongStream.rangeClosed(1, sorted.size()).boxed().toList());
      }
      assertThat(db.count("SELECT COUNT(*) FROM accepted_message")).isEqualTo(total);
      // One outbox row per committed batch, naming every message of it.
      assertThat(OutboxRows.unconfirmedMessages(db)).isEqualTo(total);
      assertThat(OutboxRows.rows(db)).isBetween(1L, (long) total);
      assertThat(db.count("SELECT SUM(LENGTH(msg_ids)) / 8 FROM outbox_batch")).isEqualTo(total);
      assertThat(db.count("SELECT COUNT(DISTINCT conversation_id) FROM conversation_member"))
          .isEqualTo(seqs.size());
      assertThat(db.count("SELECT COUNT(*) FROM conversation_member")).isEqualTo(seqs.size() * 2L);
    } finally {
      callers.shutdownNow();
    }
  }

  /**
   * Commits {@code first} alone and then {@code together} in one batch, all of conversation s_1_2,
   * on a batcher with one lane: the conversation's counter is held while the first batch waits in
   * its transaction, so the others queue up behind it and form the next batch together.
   */
  private static List<Acceptance> firstAloneThenTogether(
      TestDatabase db, AcceptBatcher batcher, ChatMsg first, List<ChatMsg> together)
      throws Exception {
    try (Connection blocker = db.connect()) {
      db.execute(
          "INSERT IGNORE INTO conversation_seq (conversation_id, last_seq) VALUES ('s_1_2', 0)");
      blocker.setAutoCommit(false);
      try (Statement lock = blocker.createStatement()) {
        lock.execute("SELECT * FROM conversation_seq WHERE conversation_id = 's_1_2' FOR UPDATE");
      }
      List<CompletableFuture<Optional<Acceptance>>> calls = new ArrayList<>();
      calls.add(batcher.submit(first, 1, () -> false));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(
              () ->
                  db.count(
                          "SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                              + " WHERE trx_state = 'LOCK WAIT'")
                      == 1);
      for (ChatMsg m : together) {
        calls.add(batcher.submit(m, 2, () -> false));
      }
      blocker.rollback();
      List<Acceptance> out = new ArrayList<>();
      for (CompletableFuture<Optional<Acceptance>> call : calls) {
        out.add(call.get(1, TimeUnit.MINUTES).orElseThrow());
      }
      return out;
    }
  }

  /**
   * The messages committed in one transaction share one outbox row, which names each of them and
   * can go only with the acknowledgement of the last.
   */
  @Test
  void aBatch_sharesOneOutboxRow_namingEachOfItsMessages(EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "batcher_outbox");
    try (HikariDataSource pool = db.migratedPool();
        AcceptBatcher batcher = new AcceptBatcher(pool, new MessageStore(pool), ids, 1, 50)) {
      List<ChatMsg> five = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        five.add(msg(1 + i % 2, 2 - i % 2, "together-" + i));
      }
      List<Acceptance> all = firstAloneThenTogether(db, batcher, msg(1, 2, "alone"), five);
      Acceptance first = all.get(0);
      List<Acceptance> rest = all.subList(1, all.size());

      assertThat(first.outbox()).get().extracting(OutboxRow::id).isEqualTo(first.message().getId());
      List<Long> restIds = rest.stream().map(a -> a.message().getId()).toList();
      long rowId = rest.get(0).outbox().orElseThrow().id();
      assertThat(rest)
          .allSatisfy(a -> assertThat(a.outbox()).get().extracting(OutboxRow::id).isEqualTo(rowId));
      assertThat(rowId).isEqualTo(restIds.stream().mapToLong(Long::longValue).min().orElseThrow());
      assertThat(OutboxRows.rows(db)).isEqualTo(2);
      assertThat(namedBy(db, rowId)).containsExactlyInAnyOrderElementsOf(restIds);
      for (long id : restIds) {
        assertThat(db.count("SELECT outbox_id FROM accepted_message WHERE msg_id = ?", id))
            .isEqualTo(rowId);
      }
      // The in-memory counterpart counts the acknowledgements down to the last.
      OutboxRow row = rest.get(0).outbox().orElseThrow();
      for (int i = 0; i < 4; i++) {
        assertThat(row.confirmOne()).isFalse();
      }
      assertThat(row.confirmOne()).isTrue();
    }
  }

  /**
   * A batcher that has seen no resend yet does not look them up: the batch's insert hits the unique
   * key, rolls back and runs again with the lookup. The resend gets its original and the messages
   * beside it the next seqs, without a gap.
   */
  @Test
  void aResendNobodyLookedFor_isAnsweredFromItsOriginal_andTheBatchTakesNoGap(
      EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "batcher_optimistic");
    try (HikariDataSource pool = db.migratedPool()) {
      Acceptance original;
      try (AcceptBatcher earlier = new AcceptBatcher(pool, new MessageStore(pool), ids, 1, 50)) {
        original = earlier.accept(msg(1, 2, "sent-before"), 1, () -> false).orElseThrow();
      }
      try (AcceptBatcher fresh = new AcceptBatcher(pool, new MessageStore(pool), ids, 1, 50)) {
        List<Acceptance> all =
            firstAloneThenTogether(
                db,
                fresh,
                msg(2, 1, "first"),
                List.of(msg(1, 2, "new-1"), msg(1, 2, "sent-before"), msg(2, 1, "new-2")));
        assertThat(all.get(0).message().getSeq()).isEqualTo(2);
        Acceptance resent = all.get(2);
        assertThat(resent.duplicate()).isTrue();
        assertThat(resent.message()).isEqualTo(original.message());
        assertThat(resent.outbox()).isEmpty();
        assertThat(List.of(all.get(1), all.get(3)))
            .extracting(a -> a.message().getSeq())
            .containsExactly(3L, 4L);
        assertThat(namedBy(db, all.get(1).outbox().orElseThrow().id()))
            .containsExactlyInAnyOrder(all.get(1).message().getId(), all.get(3).message().getId());
        assertThat(db.count("SELECT COUNT(*) FROM accepted_message")).isEqualTo(4);
        assertThat(db.count("SELECT last_seq FROM conversation_seq")).isEqualTo(4);

        // Looked up from now on: a resend alone is answered in one go.
        assertThat(fresh.accept(msg(1, 2, "new-1"), 3, () -> false).orElseThrow().message())
            .isEqualTo(all.get(1).message());
      }
    }
  }

  private static List<Long> namedBy(TestDatabase db, long rowId) throws Exception {
    try (Connection c = db.connect();
        java.sql.PreparedStatement select =
            c.prepareStatement("SELECT msg_ids FROM outbox_batch WHERE id = ?")) {
      select.setLong(1, rowId);
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return OutboxRow.unpack(rows.getBytes(1));
      }
    }
  }

  @Test
  void resends_inTheSameBatchAndLater_answerTheOriginal(EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "batcher_resend");
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try (HikariDataSource pool = db.migratedPool();
        AcceptBatcher batcher = new AcceptBatcher(pool, new MessageStore(pool), ids, 1, 100)) {
      List<CompletableFuture<Acceptance>> same = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        same.add(
            CompletableFuture.supplyAsync(
                () -> batcher.accept(msg(1, 2, "again"), 5, () -> false).orElseThrow(), callers));
      }
      List<Acceptance> answers = new ArrayList<>();
      for (CompletableFuture<Acceptance> f : same) {
        answers.add(f.get(1, TimeUnit.MINUTES));
      }
      assertThat(answers)
          .extracting(a -> a.message().getId())
          .containsOnly(answers.get(0).message().getId());
      assertThat(answers).extracting(a -> a.message().getSeq()).containsOnly(1L);
      assertThat(answers).filteredOn(a -> !a.duplicate()).hasSize(1);

      Acceptance later = batcher.accept(msg(1, 2, "again"), 6, () -> false).orElseThrow();
      assertThat(later.duplicate()).isTrue();
      assertThat(later.message()).isEqualTo(answers.get(0).message());
      assertThat(batcher.accept(msg(1, 2, "new"), 7, () -> false).orElseThrow().message().getSeq())
          .isEqualTo(2);
      assertThat(db.count("SELECT COUNT(*) FROM accepted_message")).isEqualTo(2);
    } finally {
      callers.shutdownNow();
    }
  }

  /**
   * A row accepted by the one-by-one path (another instance) between this batch's read and its
   * insert makes the batch fail on a unique key; the batch then goes one by one and still answers
   * every call correctly.
   */
  @Test
  void aUniqueKeyConflict_fallsBackToOneByOne_withoutLosingOrDuplicatingAnything(
      EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "batcher_conflict");
    try (HikariDataSource pool = db.migratedPool()) {
      MessageStore store = new MessageStore(pool);
      store.accept(msg(1, 2, "taken"), () -> 500L, 1);
      // An issuer that hands out the taken id first: the batch's insert collides on msg_id.
      AtomicLong draws = new AtomicLong();
      IdIssuer colliding = () -> draws.getAndIncrement() == 0 ? 500L : nextId.incrementAndGet();
      try (AcceptBatcher batcher = new AcceptBatcher(pool, store, colliding, 1, 10)) {
        Acceptance a = batcher.accept(msg(1, 2, "fresh"), 2, () -> false).orElseThrow();
        assertThat(a.duplicate()).isFalse();
        assertThat(a.message().getId()).isNotEqualTo(500L);
        assertThat(a.message().getSeq()).isEqualTo(2);
      }
      assertThat(db.count("SELECT COUNT(*) FROM accepted_message")).isEqualTo(2);
      assertThat(db.count("SELECT last_seq FROM conversation_seq")).isEqualTo(2);
    }
  }

  @Test
  void aCallerGoneBeforeItsBatchForms_takesNoSeq(EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "batcher_gone");
    try (HikariDataSource pool = db.migratedPool();
        AcceptBatcher batcher = new AcceptBatcher(pool, new MessageStore(pool), ids, 1, 10)) {
      Optional<Acceptance> gone = batcher.accept(msg(1, 2, "late"), 1, () -> true);
      assertThat(gone).isEmpty();
      assertThat(batcher.accept(msg(1, 2, "next"), 2, () -> false).orElseThrow().message().getSeq())
          .isEqualTo(1);
      try (Connection c = db.connect();
          Statement s = c.createStatement();
          ResultSet rows = s.executeQuery("SELECT client_msg_id FROM accepted_message")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("next");
        assertThat(rows.next()).isFalse();
      }
    }
  }
}
