package dev.switchboard.offlinestore.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.ingest.BatchWriter;
import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.Databases;
import dev.switchboard.offlinestore.store.StoreProgress;
import dev.switchboard.offlinestore.sync.AllocatedSeqs;
import dev.switchboard.offlinestore.sync.ConversationHead;
import dev.switchboard.offlinestore.sync.ConversationMembers;
import dev.switchboard.offlinestore.sync.DeliveryCursors;
import dev.switchboard.offlinestore.sync.SyncPage;
import dev.switchboard.offlinestore.sync.SyncService;
import dev.switchboard.proto.ChatMsg;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * offline-store on a database of its own (transfer's conversation_seq and conversation_member
 * absent): sync and cursors fall back to this store's own tables, holes are still never skipped.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WithoutTransferTablesIT {
  private final Messages messages = new Messages();
  private TestDatabase db;
  private HikariDataSource pool;
  private BatchWriter writer;
  private SyncService sync;
  private DeliveryCursors cursors;

  @BeforeAll
  void start(EmbeddedMariaDb mariaDb) {
    db = TestDatabase.create(mariaDb, "offline_own_db");
    pool = Databases.pool(db.url, db.user, db.password, 2, "it-own-db");
    Databases.migrate(pool);
    writer = new BatchWriter(pool);
    OfflineMetrics metrics = new OfflineMetrics(new SimpleMeterRegistry());
    AllocatedSeqs allocated = new AllocatedSeqs(Clock.systemUTC());
    ConversationMembers members = new ConversationMembers(Clock.systemUTC());
    sync =
        new SyncService(
            pool,
            allocated,
            members,
            new StoreProgress(),
            metrics,
            Clock.systemUTC(),
            500,
            10,
            Duration.ofMillis(500));
    cursors = new DeliveryCursors(pool, allocated, members, metrics);
  }

  @AfterAll
  void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void sync_servesStoredMessagesUpToTheFirstHole() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = messages.conversation(messages.newUser(), user, 1, 5);
    writer.write(List.of(sent.get(0), sent.get(1), sent.get(2), sent.get(4)), List.of());

    SyncPage page = sync.sync(user, "phone", Optional.empty(), 0, Duration.ofMillis(200));

    assertThat(page.messages()).extracting(ChatMsg::getSeq).containsExactly(1L, 2L, 3L);
    assertThat(page.heads())
        .containsExactly(new ConversationHead(sent.get(0).getConversationId(), 0, 3, 0));
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void aWatermarkLeftBehind_doesNotHideStoredMessages() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = messages.conversation(messages.newUser(), user, 1, 4);
    writer.write(sent, List.of());
    // As if 2..4 had been stored by an instance older than the watermark.
    db.execute(
        "UPDATE conversation SET contiguous_seq = 1 WHERE conversation_id = '"
            + sent.get(0).getConversationId()
            + "'");

    SyncPage page = sync.sync(user, "phone", Optional.empty(), 0, Duration.ZERO);

    assertThat(page.messages()).extracting(ChatMsg::getSeq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(page.heads()).extracting(ConversationHead::storedSeq).containsExactly(4L);
  }

  @Test
  void advanceCursor_beforeIngest_takesASingleConversationOfTheUser_only() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = messages.conversation(messages.newUser(), user, 1, 2);
    String conversation = sent.get(0).getConversationId();

    // Nothing stored, nothing readable from the allocator: the claim is clamped to 0.
    assertThat(cursors.advance(user, "phone", conversation, 2).member()).isTrue();
    assertThat(cursors.advance(user, "phone", conversation, 2).deliveredSeq()).isZero();
    assertThat(cursors.advance(user, "phone", "g_unknown_" + user, 2).member()).isFalse();
    assertThat(cursors.advance(messages.newUser(), "phone", conversation, 2).member()).isFalse();

    writer.write(sent, List.of());
    assertThat(cursors.advance(user, "phone", conversation, 2).deliveredSeq()).isEqualTo(2);
  }
}
