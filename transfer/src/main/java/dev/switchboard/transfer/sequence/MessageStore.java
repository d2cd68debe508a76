package dev.switchboard.transfer.sequence;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.common.jdbc.BlobParameter;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.transfer.db.SqlErrors;
import dev.switchboard.transfer.db.StoreFailureException;
import dev.switchboard.transfer.ids.IdIssuer;
import dev.switchboard.transfer.outbox.OutboxRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency and sequencing in one MySQL transaction per message (tables in
 * db/migration/transfer/V1__accepted_message.sql, V2__outbox_and_members.sql and
 * V3__outbox_batches.sql).
 *
 * <p>Why MySQL and not Redis INCR: the seq and the idempotency row must commit or vanish together,
 * otherwise a crash between them leaves a gap (seq taken, message lost) or a second seq for a
 * resent message. One transaction per message gives both: the seq counter row is bumped with an
 * atomic upsert (its row lock orders concurrent senders of one conversation, across all transfer
 * instances), and a rollback returns the seq.
 *
 * <p>The same transaction also writes the outbox row ({@code outbox_batch}): a committed seq whose
 * Kafka append is never confirmed (broker down, instance killed before the ack, client never
 * retries) is found and re-produced by a republisher, so no seq stays a hole in the log. And when
 * it allocates a conversation's first seq it records both members ({@code conversation_member}),
 * which offline-store reads to sync conversations it has not stored yet.
 *
 * <p>Concurrent resends of one client_msg_id: both miss {@link #findBySender}, one commits first,
 * the other's insert hits UNIQUE(sender_id, client_msg_id), rolls back (returning its seq) and
 * answers from the winner's row. An insert that collides on the msg_id primary key instead (two
 * issuers with the same worker id) is retried with a freshly drawn id, never the same one.
 */
public final class MessageStore {
  private static final Logger log = LoggerFactory.getLogger(MessageStore.class);

  /** Deadlocks, lock wait timeouts and id collisions are retried this often before giving up. */
  private static final int MAX_ATTEMPTS = 5;

  private static final String BUMP_SEQ =
      "INSERT INTO conversation_seq (conversation_id, last_seq) VALUES (?, 1)"
          + " ON DUPLICATE KEY UPDATE last_seq = last_seq + 1";
  // Read back inside the same transaction, under the row lock the upsert took: no other
  // transaction can have changed it since.
  private static final String READ_SEQ =
      "SELECT last_seq FROM conversation_seq WHERE conversation_id = ? FOR UPDATE";
  private static final String INSERT_MESSAGE =
      "INSERT INTO accepted_message"
          + " (msg_id, sender_id, client_msg_id, conversation_id, seq, sent_at_ms, msg, outbox_id)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_OUTBOX_ROW =
      "INSERT INTO outbox_batch (id, sent_at_ms, msg_ids) VALUES (?, ?, ?)";

  /** Joined on as {@code o}, for {@link #PUBLISHED}. */
  static final String JOIN_OUTBOX = "LEFT JOIN outbox_batch o ON o.id = a.outbox_id";

  /**
   * Whether the broker is known to have acknowledged accepted_message {@code a}: its outbox row is
   * gone, or (accepted before V3) it was marked.
   */
  static final String PUBLISHED =
      "(a.published_at_ms IS NOT NULL OR (a.outbox_id IS NOT NULL AND o.id IS NULL))";

  private static final String FIND_BY_SENDER =
      "SELECT a.msg, "
          + PUBLISHED
          + " FROM accepted_message a "
          + JOIN_OUTBOX
          + " WHERE a.sender_id = ? AND a.client_msg_id = ?";
  private static final String INSERT_MEMBERS =
      "INSERT IGNORE INTO conversation_member (user_id, conversation_id) VALUES (?, ?), (?, ?)";

  private final DataSource dataSource;

  public MessageStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Accepts a normalized message (from_id, dest_id, client_msg_id and conversation_id set) with a
   * new id and the conversation's next seq, or returns the original if this sender used the
   * client_msg_id before (a race with a concurrent resend).
   *
   * @param ids draws the message id; drawn again if an id is already taken
   * @param sentAtMs the acceptance time to use if the message is new
   * @throws dev.switchboard.transfer.db.StoreUnavailableException if the database is unreachable
   * @throws dev.switchboard.transfer.ids.IdUnavailableException if no id can be issued
   * @throws StoreFailureException on any other database error
   */
  public Acceptance accept(ChatMsg msg, IdIssuer ids, long sentAtMs) {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      long id = ids.nextId();
      try {
        Optional<Acceptance> done = tryAccept(msg, id, sentAtMs);
        if (done.isPresent()) {
          return done.get();
        }
        // A unique conflict without a winner row for our client_msg_id: the msg_id was taken
        // (worker id shared by mistake) or (conversation_id, seq) was, which cannot happen while
        // every writer goes through the counter. Either way retry, with a new id.
        log.warn(
            "msg_id {} or seq already taken (sender {} client_msg_id {}); retrying with a new id",
            id,
            msg.getFromId(),
            msg.getClientMsgId());
      } catch (SQLException e) {
        if (!SqlErrors.isRetryableConflict(e)) {
          throw SqlErrors.translate("accepting a message", e);
        }
        last = e;
        log.debug("lock conflict accepting a message (attempt {}): {}", attempt, e.toString());
      }
    }
    throw new StoreFailureException("accepting a message failed " + MAX_ATTEMPTS + " times", last);
  }

  /** Empty only if the insert collided on a unique key without a duplicate to answer. */
  private Optional<Acceptance> tryAccept(ChatMsg msg, long id, long sentAtMs) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        long seq = nextSeq(connection, msg.getConversationId());
        ChatMsg accepted = msg.toBuilder().setId(id).setSeq(seq).setSentAtMs(sentAtMs).build();
        OutboxRow outbox = insertWithOutboxRow(connection, List.of(accepted));
        if (seq == 1) {
          insertMembers(connection, accepted);
        }
        connection.commit();
        return Optional.of(Acceptance.fresh(accepted, outbox));
      } catch (SQLException e) {
        rollbackQuietly(connection);
        if (!SqlErrors.isDuplicateKey(e)) {
          throw e;
        }
        // Lost the race to a concurrent resend: the rollback returned our seq; answer the winner.
        connection.setAutoCommit(true);
        return find(connection, msg.getFromId(), msg.getClientMsgId());
      }
    }
  }

  /**
   * The accepted message of this sender with this client_msg_id, if any, as a duplicate.
   *
   * @throws dev.switchboard.transfer.db.StoreUnavailableException if the database is unreachable
   */
  public Optional<Acceptance> findBySender(long senderId, String clientMsgId) {
    try (Connection connection = dataSource.getConnection()) {
      return find(connection, senderId, clientMsgId);
    } catch (SQLException e) {
      throw SqlErrors.translate("reading an accepted message", e);
    }
  }

  private static Optional<Acceptance> find(Connection connection, long senderId, String clientMsgId)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(FIND_BY_SENDER)) {
      select.setLong(1, senderId);
      select.setString(2, clientMsgId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(Acceptance.duplicate(parse(rows.getBytes(1)), rows.getBoolean(2)));
      }
    }
  }

  private static long nextSeq(Connection connection, String conversationId) throws SQLException {
    try (PreparedStatement bump = connection.prepareStatement(BUMP_SEQ)) {
      bump.setString(1, conversationId);
      bump.executeUpdate();
    }
    try (PreparedStatement read = connection.prepareStatement(READ_SEQ)) {
      read.setString(1, conversationId);
      try (ResultSet rows = read.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("conversation_seq row vanished for " + conversationId);
        }
        return rows.getLong(1);
      }
    }
  }

  /**
   * Inserts accepted messages and the one outbox row that names them all (both the one-by-one path
   * and a sequencing batch write exactly this); returns that row.
   */
  static OutboxRow insertWithOutboxRow(Connection connection, List<ChatMsg> accepted)
      throws SQLException {
    List<Long> ids = new ArrayList<>(accepted.size());
    long outboxId = Long.MAX_VALUE;
    // The republisher leaves a row alone until its newest message could still be in flight.
    long newest = 0;
    for (ChatMsg m : accepted) {
      ids.add(m.getId());
      outboxId = Math.min(outboxId, m.getId());
      newest = Math.max(newest, m.getSentAtMs());
    }
    try (PreparedStatement messages = connection.prepareStatement(INSERT_MESSAGE);
        PreparedStatement outbox = connection.prepareStatement(INSERT_OUTBOX_ROW)) {
      for (ChatMsg m : accepted) {
        messages.setLong(1, m.getId());
        messages.setLong(2, m.getFromId());
        messages.setString(3, m.getClientMsgId());
        messages.setString(4, m.getConversationId());
        messages.setLong(5, m.getSeq());
        messages.setLong(6, m.getSentAtMs());
        BlobParameter.set(messages, 7, m.toByteArray());
        messages.setLong(8, outboxId);
        messages.addBatch();
      }
      messages.executeBatch();
      outbox.setLong(1, outboxId);
      outbox.setLong(2, newest);
      BlobParameter.set(outbox, 3, OutboxRow.pack(ids));
      outbox.executeUpdate();
    }
    return new OutboxRow(outboxId, accepted.size());
  }

  /** Both members; for a note to oneself the two rows are one, and IGNORE keeps it one. */
  private static void insertMembers(Connection connection, ChatMsg accepted) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_MEMBERS)) {
      insert.setLong(1, accepted.getFromId());
      insert.setString(2, accepted.getConversationId());
      insert.setLong(3, accepted.getDestId());
      insert.setString(4, accepted.getConversationId());
      insert.executeUpdate();
    }
  }

  static ChatMsg parse(byte[] bytes) {
    try {
      return ChatMsg.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StoreFailureException("accepted_message.msg is not a ChatMsg", e);
    }
  }

  static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // The connection is broken; Hikari discards it, and the server rolls back on disconnect.
      log.debug("rollback failed: {}", e.toString());
    }
  }
}
