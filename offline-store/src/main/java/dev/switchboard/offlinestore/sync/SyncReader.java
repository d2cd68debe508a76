package dev.switchboard.offlinestore.sync;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reads of a sync pass. Each is a range or point read on a primary or unique key, so its cost
 * depends on the page (and on the user's number of conversations), never on the total history:
 *
 * <ul>
 *   <li>{@link #MEMBERSHIP_WINDOW} and {@link ConversationMembers#WINDOW}: ranges on the primary
 *       keys (user_id, conversation_id) of user_conversation and of transfer's conversation_member
 *       from the cursor, each with point lookups (eq_ref) into conversation and device_cursor,
 *       merged here (a UNION in SQL would sort its result in a temporary table);
 *   <li>{@link #MESSAGES_AFTER}, {@link #STORED_SEQS_AFTER}: ranges on message's primary key
 *       (conversation_id, seq), {@link #IS_STORED} a point read on it;
 *   <li>{@link #RECEIPTS_AFTER}: range on receipt's unique key (user_id, user_seq).
 * </ul>
 *
 * SyncQueryPlanIT checks these plans with EXPLAIN on MariaDB.
 */
final class SyncReader {
  static final String MEMBERSHIP_WINDOW = windowOver("user_conversation");

  static final String MESSAGES_AFTER =
      "SELECT msg FROM message WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?";

  static final String IS_STORED = "SELECT 1 FROM message WHERE conversation_id = ? AND seq = ?";

  /** Only the seqs: where the run of stored seqs after a position ends. */
  static final String STORED_SEQS_AFTER =
      "SELECT seq FROM message WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?";

  static final String RECEIPTS_AFTER =
      "SELECT user_seq, msg FROM receipt WHERE user_id = ? AND user_seq > ?"
          + " ORDER BY user_seq LIMIT ?";

  static final String RECEIPT_CURSOR =
      "SELECT last_receipt_seq FROM device_receipt_cursor WHERE user_id = ? AND device_id = ?";

  static final String STORED_HEADS_PREFIX =
      "SELECT conversation_id, last_seq, contiguous_seq FROM conversation"
          + " WHERE conversation_id IN (";

  /**
   * A conversation of the user as the page found it.
   *
   * @param storedSeq the highest stored seq (conversation.last_seq)
   * @param contiguousSeq every seq up to it is stored (conversation.contiguous_seq)
   * @param deliveredSeq the device's cursor
   */
  record ConversationState(
      String conversationId, long storedSeq, long contiguousSeq, long deliveredSeq) {

    ConversationState withStored(long stored, long contiguous) {
      return new ConversationState(
          conversationId,
          Math.max(storedSeq, stored),
          Math.max(contiguousSeq, contiguous),
          deliveredSeq);
    }

    /** The same conversation read twice (both memberships): every field only grows. */
    ConversationState merge(ConversationState other) {
      return new ConversationState(
          conversationId,
          Math.max(storedSeq, other.storedSeq),
          Math.max(contiguousSeq, other.contiguousSeq),
          Math.max(deliveredSeq, other.deliveredSeq));
    }
  }

  /**
   * A window of the user's conversations.
   *
   * @param next the first conversation after the window, empty if none: the next window starts
   *     there, strictly after the ones this window covered
   */
  record Window(List<ConversationState> conversations, String next) {
    boolean truncated() {
      return !next.isEmpty();
    }
  }

  /**
   * How far a device can be given a conversation without a gap: every seq in (from, end] is stored.
   *
   * @param exact whether {@code end + 1} is known not to be stored; false when the run was only
   *     followed for a page's worth of seqs (it goes on, and the page fills with it anyway)
   */
  record Reach(long end, boolean exact) {}

  /** A receipt with its place in the user's receipt numbering. */
  record NumberedReceipt(long userSeq, AckMsg ack) {}

  private SyncReader() {}

  /** The window query over a membership table (user_id, conversation_id primary key). */
  static String windowOver(String membershipTable) {
    return "SELECT m.conversation_id, COALESCE(c.last_seq, 0), COALESCE(c.contiguous_seq, 0),"
        + " COALESCE(dc.delivered_seq, 0)"
        + " FROM "
        + membershipTable
        + " m"
        + " LEFT JOIN conversation c ON c.conversation_id = m.conversation_id"
        + " LEFT JOIN device_cursor dc ON dc.user_id = m.user_id AND dc.device_id = ?"
        + " AND dc.conversation_id = m.conversation_id"
        + " WHERE m.user_id = ? AND m.conversation_id >= ?"
        + " ORDER BY m.conversation_id LIMIT ?";
  }

  /**
   * The first {@code max} conversations of the user from {@code fromConversation} on (inclusive):
   * the union of the memberships this store wrote (user_conversation, on ingest) and transfer's
   * (conversation_member, on the first allocated seq). Each side is read with {@code max + 1} rows,
   * which holds the union's first {@code max + 1}.
   */
  static Window conversations(
      Connection connection,
      ConversationMembers members,
      long userId,
      String deviceId,
      String fromConversation,
      int max)
      throws SQLException {
    // Java's String order is ascii_bin's for these ids (printable ASCII, no spaces).
    Map<String, ConversationState> union = new TreeMap<>();
    for (ConversationState state :
        states(connection, MEMBERSHIP_WINDOW, userId, deviceId, fromConversation, max + 1)) {
      union.put(state.conversationId(), state);
    }
    for (ConversationState state :
        members.window(connection, userId, deviceId, fromConversation, max + 1)) {
      union.merge(state.conversationId(), state, ConversationState::merge);
    }
    List<ConversationState> window = new ArrayList<>(Math.min(max, union.size()));
    Iterator<ConversationState> ordered = union.values().iterator();
    while (ordered.hasNext() && window.size() < max) {
      window.add(ordered.next());
    }
    return new Window(window, ordered.hasNext() ? ordered.next().conversationId() : "");
  }

  /** Runs a window query ({@link #windowOver}). */
  static List<ConversationState> states(
      Connection connection,
      String windowSql,
      long userId,
      String deviceId,
      String fromConversation,
      int limit)
      throws SQLException {
    List<ConversationState> found = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(windowSql)) {
      select.setString(1, deviceId);
      select.setLong(2, userId);
      select.setString(3, fromConversation);
      select.setInt(4, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(
              new ConversationState(
                  rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4)));
        }
      }
    }
    return found;
  }

  /**
   * Where the run of stored seqs after {@code from} ends. Without a read when nothing is stored
   * above {@code from} (it ends there) or the conversation has no hole (its watermark is its
   * highest stored seq). With a hole above the watermark, one point read of the seq after max(from,
   * watermark), which is usually the missing one; only if it is stored (a device that got the
   * missing seq by push and acknowledged past it, or a watermark an older instance left behind) are
   * the seqs after it read, at most {@code maxSeqs}.
   */
  static Reach reach(Connection connection, ConversationState state, long from, int maxSeqs)
      throws SQLException {
    if (state.storedSeq() <= from) {
      return new Reach(from, true);
    }
    if (state.contiguousSeq() >= state.storedSeq()) {
      return new Reach(state.contiguousSeq(), true);
    }
    long end = Math.max(from, state.contiguousSeq());
    try (PreparedStatement select = connection.prepareStatement(IS_STORED)) {
      select.setString(1, state.conversationId());
      select.setLong(2, end + 1);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return new Reach(end, true); // the hole
        }
      }
    }
    int read = 0;
    try (PreparedStatement select = connection.prepareStatement(STORED_SEQS_AFTER)) {
      select.setString(1, state.conversationId());
      select.setLong(2, end);
      select.setInt(3, maxSeqs);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          read++;
          if (rows.getLong(1) != end + 1) {
            return new Reach(end, true);
          }
          end++;
        }
      }
    }
    return new Reach(end, read < maxSeqs);
  }

  static List<ChatMsg> messagesAfter(
      Connection connection, String conversationId, long afterSeq, int limit) throws SQLException {
    List<ChatMsg> messages = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(MESSAGES_AFTER)) {
      select.setString(1, conversationId);
      select.setLong(2, afterSeq);
      select.setInt(3, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          messages.add(StoredMessages.chat(rows.getBytes(1)));
        }
      }
    }
    return messages;
  }

  static List<NumberedReceipt> receiptsAfter(
      Connection connection, long userId, long afterUserSeq, int limit) throws SQLException {
    List<NumberedReceipt> receipts = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(RECEIPTS_AFTER)) {
      select.setLong(1, userId);
      select.setLong(2, afterUserSeq);
      select.setInt(3, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          receipts.add(
              new NumberedReceipt(rows.getLong(1), StoredMessages.receipt(rows.getBytes(2))));
        }
      }
    }
    return receipts;
  }

  static long receiptCursor(Connection connection, long userId, String deviceId)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(RECEIPT_CURSOR)) {
      select.setLong(1, userId);
      select.setString(2, deviceId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }

  /**
   * The stored heads of these conversations as {@code {last_seq, contiguous_seq}} (point reads on
   * the primary key).
   */
  static Map<String, long[]> storedHeads(Connection connection, Collection<String> conversationIds)
      throws SQLException {
    Map<String, long[]> heads = new HashMap<>();
    if (conversationIds.isEmpty()) {
      return heads;
    }
    List<String> ids = List.copyOf(conversationIds);
    try (PreparedStatement select =
        connection.prepareStatement(
            STORED_HEADS_PREFIX + String.join(",", Collections.nCopies(ids.size(), "?")) + ")")) {
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
}
