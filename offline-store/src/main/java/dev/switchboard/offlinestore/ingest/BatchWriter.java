package dev.switchboard.offlinestore.ingest;

import dev.switchboard.common.jdbc.BlobParameter;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.MsgType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one consumer batch in ONE MySQL transaction, one JDBC batch per statement (with {@code
 * rewriteBatchedStatements} a multi-row INSERT: one round trip per table, not per message).
 *
 * <p>Every statement is idempotent, because the log is delivered at least once (a crash between
 * this commit and the offset commit replays the batch): messages are no-ops on their unique keys,
 * conversation heads and read marks only move up with GREATEST, membership rows are upserts.
 * Receipts take a fresh per-user number on every delivery (see receipt_counter in V1), and a
 * replayed one is then ignored on its id, leaving a harmless gap in the numbers.
 *
 * <p>Rows are written in key order (conversations, then users), so two consumers whose batches
 * touch the same rows lock them in the same order and cannot deadlock each other. Between consumers
 * of different partitions only the receipt counters of users are shared at all.
 *
 * <p>Kafka order is not seq order (two transfer instances allocate 7 and 8, and 8 can be produced
 * first), so the conversation's contiguous watermark ({@code conversation.contiguous_seq}, every
 * seq up to it stored) is kept next to its highest stored seq; see {@link #raiseContiguous}.
 */
public final class BatchWriter {
  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

  // A duplicate (same msg_id, or same conversation and seq) keeps the row that is there: the log
  // never carries two different messages with one id or one (conversation, seq).
  private static final String INSERT_MESSAGE =
      "INSERT INTO message (conversation_id, seq, msg_id, sender_id, dest_id, conversation_type,"
          + " content_type, sent_at_ms, msg) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE msg_id = msg_id";

  // Assignments run left to right, so last_seq is raised last and the IFs compare with the old
  // value: the head moves only if this batch holds a higher seq (batches may arrive in any order).
  private static final String UPSERT_CONVERSATION =
      "INSERT INTO conversation"
          + " (conversation_id, conversation_type, last_seq, last_msg_id, last_sent_at_ms)"
          + " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
          + " last_msg_id = IF(VALUES(last_seq) > last_seq, VALUES(last_msg_id), last_msg_id),"
          + " last_sent_at_ms ="
          + " IF(VALUES(last_seq) > last_seq, VALUES(last_sent_at_ms), last_sent_at_ms),"
          + " last_seq = GREATEST(last_seq, VALUES(last_seq))";

  // A sender has read the conversation up to its own message; a recipient row starts at 0.
  private static final String UPSERT_MEMBER =
      "INSERT INTO user_conversation (user_id, conversation_id, peer_id, last_read_seq)"
          + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
          + " last_read_seq = GREATEST(last_read_seq, VALUES(last_read_seq))";

  private static final String BUMP_RECEIPT_COUNTER =
      "INSERT INTO receipt_counter (user_id, last_seq) VALUES (?, ?)"
          + " ON DUPLICATE KEY UPDATE last_seq = last_seq + VALUES(last_seq)";

  private static final String INSERT_RECEIPT =
      "INSERT INTO receipt (id, user_id, user_seq, conversation_id, msg_type, ack_msg_id, from_id,"
          + " seq, sent_at_ms, msg) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE id = id";

  // READ from a member: that member has read up to seq. Only existing memberships are touched
  // (the message it reads came before it on the same partition, so the row is there).
  private static final String APPLY_READ =
      "UPDATE user_conversation SET last_read_seq = GREATEST(last_read_seq, ?)"
          + " WHERE user_id = ? AND conversation_id = ?";

  // Read after UPSERT_CONVERSATION in the same transaction: the rows are locked by then.
  static final String CONVERSATION_HEADS_PREFIX =
      "SELECT conversation_id, last_seq, contiguous_seq FROM conversation"
          + " WHERE conversation_id IN (";

  static final String STORED_SEQS_AFTER =
      "SELECT seq FROM message WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?";

  static final String IS_STORED = "SELECT 1 FROM message WHERE conversation_id = ? AND seq = ?";

  private static final String RAISE_CONTIGUOUS =
      "UPDATE conversation SET contiguous_seq = GREATEST(contiguous_seq, ?)"
          + " WHERE conversation_id = ?";

  /** Seqs read per round trip while following a run of seqs stored ahead of a filled hole. */
  private static final int RUN_CHUNK = 500;

  private final DataSource dataSource;

  public BatchWriter(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Stores the batch, all or nothing.
   *
   * @throws SQLException whatever MySQL said; nothing of the batch is committed then
   */
  public void write(List<ChatMsg> chats, List<AckMsg> receipts) throws SQLException {
    if (chats.isEmpty() && receipts.isEmpty()) {
      return;
    }
    List<ChatMsg> messages = new ArrayList<>(chats);
    messages.sort(
        Comparator.comparing(ChatMsg::getConversationId).thenComparingLong(ChatMsg::getSeq));
    List<AckMsg> distinctReceipts = distinctById(receipts);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        insertMessages(connection, messages);
        upsertConversations(connection, messages);
        raiseContiguous(connection, messages);
        upsertMembers(connection, messages);
        insertReceipts(connection, distinctReceipts);
        applyReads(connection, distinctReceipts);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    }
  }

  private static void insertMessages(Connection connection, List<ChatMsg> messages)
      throws SQLException {
    if (messages.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_MESSAGE)) {
      for (ChatMsg msg : messages) {
        insert.setString(1, msg.getConversationId());
        insert.setLong(2, msg.getSeq());
        insert.setLong(3, msg.getId());
        insert.setLong(4, msg.getFromId());
        insert.setLong(5, msg.getDestId());
        insert.setInt(6, msg.getConversationTypeValue());
        insert.setInt(7, msg.getContentTypeValue());
        insert.setLong(8, msg.getSentAtMs());
        BlobParameter.set(insert, 9, msg.toByteArray());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** One row per conversation: the batch's message with the highest seq. */
  private static void upsertConversations(Connection connection, List<ChatMsg> messages)
      throws SQLException {
    if (messages.isEmpty()) {
      return;
    }
    Map<String, ChatMsg> newest = new TreeMap<>();
    for (ChatMsg msg : messages) {
      newest.merge(msg.getConversationId(), msg, (a, b) -> a.getSeq() >= b.getSeq() ? a : b);
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_CONVERSATION)) {
      for (ChatMsg msg : newest.values()) {
        upsert.setString(1, msg.getConversationId());
        upsert.setInt(2, msg.getConversationTypeValue());
        upsert.setLong(3, msg.getSeq());
        upsert.setLong(4, msg.getId());
        upsert.setLong(5, msg.getSentAtMs());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  /**
   * Raises each conversation's contiguous watermark over the seqs this batch filled in.
   *
   * <p>Why it is exact after every commit: a batch inserts its messages, then upserts (and so locks
   * until commit) the row of each of their conversations, and only then reads the watermark here.
   * Any other transaction storing messages of the conversation must take the same row lock before
   * it commits, so while this one holds it the committed messages of the conversation are fixed
   * and, by induction, the watermark {@code w} read here is their contiguous end: {@code w + 1} is
   * not stored. The watermark can then only move if this batch holds {@code w + 1}; from there it
   * runs over this batch's seqs and, if the conversation's highest seq is further, over the seqs
   * stored ahead of the hole earlier (the only case that reads messages back). Each stored seq is
   * passed over once in its life, so this costs nothing in the usual in-order case and stays
   * proportional to the messages it covers otherwise. A batch without {@code w + 1} that stores
   * above the watermark checks {@code w + 1} with one point read, so a watermark left behind by a
   * writer that did not keep it (an instance older than the column) is repaired, not kept.
   */
  private static void raiseContiguous(Connection connection, List<ChatMsg> messages)
      throws SQLException {
    if (messages.isEmpty()) {
      return;
    }
    Map<String, TreeSet<Long>> batchSeqs = new TreeMap<>();
    for (ChatMsg msg : messages) {
      batchSeqs.computeIfAbsent(msg.getConversationId(), id -> new TreeSet<>()).add(msg.getSeq());
    }
    Map<String, long[]> heads = readHeads(connection, List.copyOf(batchSeqs.keySet()));
    Map<String, Long> raised = new TreeMap<>();
    for (Map.Entry<String, TreeSet<Long>> entry : batchSeqs.entrySet()) {
      long[] head = heads.get(entry.getKey());
      if (head == null) {
        throw new SQLException("conversation row of " + entry.getKey() + " vanished");
      }
      long lastSeq = head[0];
      long contiguous = head[1];
      TreeSet<Long> seqs = entry.getValue();
      if (seqs.last() <= contiguous) {
        continue; // a replay of stored seqs
      }
      long end = contiguous;
      if (seqs.contains(contiguous + 1)) {
        while (seqs.contains(end + 1)) {
          end++;
        }
      } else if (!isStored(connection, entry.getKey(), contiguous + 1)) {
        continue; // the first hole stays open
      }
      // (Stored although the watermark is below it: written by an instance that predates the
      // watermark. Following the run repairs it.)
      if (lastSeq > end) {
        end = followStoredRun(connection, entry.getKey(), end, lastSeq);
      }
      raised.put(entry.getKey(), end);
    }
    if (raised.isEmpty()) {
      return;
    }
    try (PreparedStatement update = connection.prepareStatement(RAISE_CONTIGUOUS)) {
      for (Map.Entry<String, Long> entry : raised.entrySet()) {
        update.setLong(1, entry.getValue());
        update.setString(2, entry.getKey());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /** (last_seq, contiguous_seq) of each conversation, read under this transaction's row locks. */
  private static Map<String, long[]> readHeads(Connection connection, List<String> ids)
      throws SQLException {
    Map<String, long[]> heads = new HashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            CONVERSATION_HEADS_PREFIX
                + String.join(",", java.util.Collections.nCopies(ids.size(), "?"))
                + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        select.setString(i + 1, ids.get(i));
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          heads.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
        }
      }
    }
    return heads;
  }

  private static boolean isStored(Connection connection, String conversationId, long seq)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(IS_STORED)) {
      select.setString(1, conversationId);
      select.setLong(2, seq);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * The end of the run of consecutive stored seqs that continues after {@code end} (range reads on
   * the primary key, stopping at the first hole or at {@code lastSeq}).
   */
  private static long followStoredRun(
      Connection connection, String conversationId, long end, long lastSeq) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(STORED_SEQS_AFTER)) {
      while (end < lastSeq) {
        select.setString(1, conversationId);
        select.setLong(2, end);
        select.setInt(3, RUN_CHUNK);
        int read = 0;
        boolean hole = false;
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            read++;
            if (rows.getLong(1) != end + 1) {
              hole = true;
              break;
            }
            end++;
          }
        }
        if (hole || read < RUN_CHUNK) {
          return end;
        }
      }
    }
    return end;
  }

  /** Membership rows of sender and (single) recipient, once per user and conversation. */
  private static void upsertMembers(Connection connection, List<ChatMsg> messages)
      throws SQLException {
    if (messages.isEmpty()) {
      return;
    }
    Map<MemberKey, Member> members = new TreeMap<>();
    for (ChatMsg msg : messages) {
      boolean single = msg.getConversationType() == ConversationType.SINGLE;
      long peer = single ? msg.getDestId() : 0;
      addMember(members, msg.getFromId(), msg.getConversationId(), peer, msg.getSeq());
      if (single && msg.getDestId() != msg.getFromId()) {
        addMember(members, msg.getDestId(), msg.getConversationId(), msg.getFromId(), 0);
      }
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_MEMBER)) {
      for (Map.Entry<MemberKey, Member> entry : members.entrySet()) {
        upsert.setLong(1, entry.getKey().userId());
        upsert.setString(2, entry.getKey().conversationId());
        upsert.setLong(3, entry.getValue().peerId());
        upsert.setLong(4, entry.getValue().readSeq());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  private static void addMember(
      Map<MemberKey, Member> members, long userId, String conversationId, long peer, long read) {
    members.merge(
        new MemberKey(userId, conversationId),
        new Member(peer, read),
        (a, b) -> new Member(a.peerId(), Math.max(a.readSeq(), b.readSeq())));
  }

  /**
   * Numbers the receipts per addressed user under that user's counter row lock (held until commit),
   * then inserts them.
   */
  private static void insertReceipts(Connection connection, List<AckMsg> receipts)
      throws SQLException {
    if (receipts.isEmpty()) {
      return;
    }
    Map<Long, List<AckMsg>> byUser = new TreeMap<>();
    for (AckMsg ack : receipts) {
      byUser.computeIfAbsent(ack.getDestId(), user -> new ArrayList<>()).add(ack);
    }
    try (PreparedStatement bump = connection.prepareStatement(BUMP_RECEIPT_COUNTER)) {
      for (Map.Entry<Long, List<AckMsg>> entry : byUser.entrySet()) {
        bump.setLong(1, entry.getKey());
        bump.setLong(2, entry.getValue().size());
        bump.addBatch();
      }
      bump.executeBatch();
    }
    Map<Long, Long> lastSeqs = readCounters(connection, byUser.keySet().stream().toList());
    try (PreparedStatement insert = connection.prepareStatement(INSERT_RECEIPT)) {
      for (Map.Entry<Long, List<AckMsg>> entry : byUser.entrySet()) {
        Long last = lastSeqs.get(entry.getKey());
        if (last == null) {
          throw new SQLException("receipt_counter row of user " + entry.getKey() + " vanished");
        }
        long userSeq = last - entry.getValue().size();
        for (AckMsg ack : entry.getValue()) {
          userSeq++;
          insert.setLong(1, ack.getId());
          insert.setLong(2, ack.getDestId());
          insert.setLong(3, userSeq);
          insert.setString(4, ack.getConversationId());
          insert.setInt(5, ack.getMsgTypeValue());
          insert.setLong(6, ack.getAckMsgId());
          insert.setLong(7, ack.getFromId());
          insert.setLong(8, ack.getSeq());
          insert.setLong(9, ack.getSentAtMs());
          BlobParameter.set(insert, 10, ack.toByteArray());
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
  }

  /** Our own uncommitted counter values: the upsert holds their row locks until commit. */
  private static Map<Long, Long> readCounters(Connection connection, List<Long> users)
      throws SQLException {
    String placeholders = String.join(",", java.util.Collections.nCopies(users.size(), "?"));
    Map<Long, Long> lastSeqs = new HashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT user_id, last_seq FROM receipt_counter WHERE user_id IN ("
                + placeholders
                + ")")) {
      for (int i = 0; i < users.size(); i++) {
        select.setLong(i + 1, users.get(i));
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          lastSeqs.put(rows.getLong(1), rows.getLong(2));
        }
      }
    }
    return lastSeqs;
  }

  /** READ receipts raise the reader's read mark (idempotent, so replays are harmless). */
  private static void applyReads(Connection connection, List<AckMsg> receipts) throws SQLException {
    Map<MemberKey, Long> reads = new TreeMap<>();
    for (AckMsg ack : receipts) {
      if (ack.getMsgType() == MsgType.READ && ack.getSeq() > 0) {
        reads.merge(
            new MemberKey(ack.getFromId(), ack.getConversationId()), ack.getSeq(), Math::max);
      }
    }
    if (reads.isEmpty()) {
      return;
    }
    try (PreparedStatement update = connection.prepareStatement(APPLY_READ)) {
      for (Map.Entry<MemberKey, Long> entry : reads.entrySet()) {
        update.setLong(1, entry.getValue());
        update.setLong(2, entry.getKey().userId());
        update.setString(3, entry.getKey().conversationId());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  private static List<AckMsg> distinctById(List<AckMsg> receipts) {
    Map<Long, AckMsg> byId = new LinkedHashMap<>();
    for (AckMsg ack : receipts) {
      byId.putIfAbsent(ack.getId(), ack);
    }
    return byId.size() == receipts.size() ? receipts : List.copyOf(byId.values());
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // The connection is broken; Hikari discards it, and the server rolls back on disconnect.
      log.debug("rollback failed: {}", e.toString());
    }
  }

  /** Ordered by user, then conversation: the lock order of user_conversation rows. */
  private record MemberKey(long userId, String conversationId) implements Comparable<MemberKey> {
    @Override
    public int compareTo(MemberKey other) {
      int byUser = Long.compare(userId, other.userId);
      return byUser != 0 ? byUser : conversationId.compareTo(other.conversationId);
    }
  }

  private record Member(long peerId, long readSeq) {}
}
