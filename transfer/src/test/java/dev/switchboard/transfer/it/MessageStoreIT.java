package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.transfer.sequence.Acceptance;
import dev.switchboard.transfer.sequence.MessageStore;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class MessageStoreIT {

  private static ChatMsg msg(String clientMsgId) {
    return ChatMsg.newBuilder()
        .setFromId(1)
        .setDestId(2)
        .setClientMsgId(clientMsgId)
        .setConversationId("s_1_2")
        .setMsgBody("x")
        .build();
  }

  @Test
  void insertHittingATakenMsgId_drawsANewIdInsteadOfRetryingTheSameOne(EmbeddedMariaDb mariaDb)
      throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_store");
    try (HikariDataSource pool = db.migratedPool()) {
      MessageStore store = new MessageStore(pool);
      store.accept(msg("first"), () -> 777L, 1L);

      // An issuer that hands out 777 again (a worker id shared by mistake), then a fresh id.
      ConcurrentLinkedQueue<Long> issued = new ConcurrentLinkedQueue<>(List.of(777L, 778L));
      Acceptance second = store.accept(msg("second"), issued::remove, 2L);

      assertThat(second.duplicate()).isFalse();
      assertThat(second.message().getId()).isEqualTo(778L);
      assertThat(second.message().getSeq()).isEqualTo(2);
      assertThat(db.count("SELECT COUNT(*) FROM accepted_message")).isEqualTo(2);
      assertThat(db.count("SELECT last_seq FROM conversation_seq WHERE conversation_id = 's_1_2'"))
          .isEqualTo(2);
    }
  }

  @Test
  void findBySender_tellsWhetherTheOriginalIsKnownPublished(EmbeddedMariaDb mariaDb)
      throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_store_find");
    try (HikariDataSource pool = db.migratedPool()) {
      MessageStore store = new MessageStore(pool);
      long id = store.accept(msg("m"), () -> 900L, 1L).message().getId();
      assertThat(store.findBySender(1, "m"))
          .get()
          .extracting(Acceptance::published)
          .isEqualTo(false);

      // What the marker does once the broker acknowledged every message of the row.
      db.execute("DELETE FROM outbox_batch WHERE id = ?", id);
      Acceptance found = store.findBySender(1, "m").orElseThrow();
      assertThat(found.published()).isTrue();
      assertThat(found.duplicate()).isTrue();
      assertThat(found.outbox()).isEmpty();
      assertThat(found.message().getId()).isEqualTo(900L);
      assertThat(store.findBySender(1, "other")).isEmpty();

      // Accepted before V3: marked in published_at_ms, or unknown when it is not set.
      db.execute(
          "INSERT INTO accepted_message"
              + " (msg_id, sender_id, client_msg_id, conversation_id, seq, sent_at_ms, msg,"
              + " published_at_ms) VALUES (901, 1, 'marked', 's_1_2', 2, 1, ?, 7),"
              + " (902, 1, 'unknown', 's_1_2', 3, 1, ?, NULL)",
          msg("marked").toByteArray(),
          msg("unknown").toByteArray());
      assertThat(store.findBySender(1, "marked").orElseThrow().published()).isTrue();
      assertThat(store.findBySender(1, "unknown").orElseThrow().published()).isFalse();
    }
  }
}
