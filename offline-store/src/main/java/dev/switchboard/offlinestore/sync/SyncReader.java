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
import java.util.List;
import java.util.Map;

/**
 * The reads of a sync pass. Each is a range or point read on a primary or unique key, so its cost
 * depends on the page (and on the user's number of conversations), never on the total history:
 *
 * <ul>
 *   <li>{@link #CONVERSATIONS}: range on user_conversation's primary key (user_id, conversation_id)
 *       from the cursor, with point lookups (eq_ref) into conversation and device_cursor;
 *   <li>{@link #MESSAGES_AFTER}: range on message's primary key (conversation_id, seq);
 *   <li>{@link #RECEIPTS_AFTER}: range on receipt's unique key (user_id, user_seq).
 * </ul>
 *
 * SyncQueryPlanIT checks these plans with EXPLAIN on MariaDB.
 */
final class SyncReader {
  static final String CONVERSATIONS =
      "SELECT uc.conversation_id, COALESCE(c.last_seq, 0), COALESCE(dc.delivered_seq, 0)"
          + " FROM user_conversation uc"
          + " LEFT JOIN conversation c ON c.conversation_id = uc.conversation_id"
          + " LEFT JOIN device_cursor dc ON dc.user_id = uc.user_id AND dc.device_id = ?"
          + " AND dc.conversation_id = uc.conversation_id"
          + " WHERE uc.user_id = ? AND uc.conversation_id >= ?"
          + " ORDER BY uc.conversation_id LIMIT ?";

  static final String MESSAGES_AFTER =
      "SELECT msg FROM message WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?";

  static final String RECEIPTS_AFTER =
      "SELECT user_seq, msg FROM receipt WHERE user_id = ? AND user_seq > ?"
          + " ORDER BY user_seq LIMIT ?";

  static final String RECEIPT_CURSOR =
      "SELECT last_receipt_seq FROM device_receipt_cursor WHERE user_id = ? AND device_id = ?";

  static final String STORED_SEQ_PREFIX =
      "SELECT conversation_id, last_seq FROM conversation WHERE conversation_id IN (";

  /** A conversation of the user as the page found it. */
  record ConversationState(String conversationId, long storedSeq, long deliveredSeq) {}

  /** A window of the user's conversations; {@code truncated} if more follow it. */
  record Window(List<ConversationState> conversations, boolean truncated) {}

  /** A receipt with its place in the user's receipt numbering. */
  record NumberedReceipt(long userSeq, AckMsg ack) {}

  private SyncReader() {}

  static Window conversations(
      Connection connection, long userId, String deviceId, String fromConversation, int max)
      throws SQLException {
    List<ConversationState> found = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(CONVERSATIONS)) {
      select.setString(1, deviceId);
      select.setLong(2, userId);
      select.setString(3, fromConversation);
      select.setInt(4, max + 1);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(new ConversationState(rows.getString(1), rows.getLong(2), rows.getLong(3)));
        }
      }
    }
    boolean truncated = found.size() > max;
    return new Window(truncated ? found.subList(0, max) : found, truncated);
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

  /** The stored heads of these conversations (point reads on the primary key). */
  static Map<String, Long> storedSeqs(Connection connection, Collection<String> conversationIds)
      throws SQLException {
    Map<String, Long> seqs = new HashMap<>();
    if (conversationIds.isEmpty()) {
      return seqs;
    }
    List<String> ids = List.copyOf(conversationIds);
    try (PreparedStatement select =
        connection.prepareStatement(
            STORED_SEQ_PREFIX + String.join(",", Collections.nCopies(ids.size(), "?")) + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        select.setString(i + 1, ids.get(i));
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          seqs.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    return seqs;
  }
}
