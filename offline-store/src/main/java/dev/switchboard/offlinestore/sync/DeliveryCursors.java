package dev.switchboard.offlinestore.sync;

import dev.switchboard.common.chat.Conversations;
import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The per-device positions: a conversation's delivery cursor (moved on DELIVERED) and the receipt
 * cursor (moved when a device took its receipts). Both only move forward, with one atomic {@code
 * GREATEST} upsert each, so concurrent, repeated or late acknowledgements cannot move them back.
 *
 * <p>A delivery cursor means "this device holds every message of the conversation up to here", so
 * the caller must pass the device's contiguous watermark, not the seq of the newest message it
 * happened to receive: a device that holds 4 and 6 acknowledges 4 and syncs for 5 first. Checking
 * that here is impossible (the server cannot see what a push delivered), but one impossible claim
 * is refused: a seq above the conversation's head (the higher of transfer's allocated seq and the
 * stored one) is clamped to the head. Without that, a client bug acknowledging seq 10^12 would
 * silence the conversation on that device forever.
 *
 * <p>A device acknowledges pushed messages, which can arrive before this store consumed them, even
 * the conversation's first one: then this store has no membership row yet. The acknowledgement is
 * still taken when the conversation is a single conversation of the user (its id names both
 * members) or transfer noted the user as a member ({@link ConversationMembers}); refusing it would
 * send the message to the device again at its next sync.
 */
public final class DeliveryCursors implements AutoCloseable {
  static final String IS_MEMBER =
      "SELECT 1 FROM user_conversation WHERE user_id = ? AND conversation_id = ?";

  /** Followed by {@link #CURSOR_KEY} once per cursor, joined with OR. */
  static final String CURSORS_WHERE =
      "SELECT user_id, device_id, conversation_id, delivered_seq FROM device_cursor WHERE ";

  static final String CURSOR_KEY = "(user_id = ? AND device_id = ? AND conversation_id = ?)";
  static final String ADVANCE =
      "INSERT INTO device_cursor (user_id, device_id, conversation_id, delivered_seq)"
          + " VALUES (?, ?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE delivered_seq = GREATEST(delivered_seq, VALUES(delivered_seq))";
  static final String RECEIPT_SEQ = "SELECT user_seq FROM receipt WHERE id = ? AND user_id = ?";
  static final String ACK_RECEIPTS =
      "INSERT INTO device_receipt_cursor (user_id, device_id, last_receipt_seq) VALUES (?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE"
          + " last_receipt_seq = GREATEST(last_receipt_seq, VALUES(last_receipt_seq))";

  private final DataSource dataSource;
  private final AllocatedSeqs allocated;
  private final ConversationMembers members;
  private final OfflineMetrics metrics;
  private final CursorAdvanceBatches batches;

  /** Each advance in its own autocommitted statements, on the calling thread. */
  public DeliveryCursors(
      DataSource dataSource,
      AllocatedSeqs allocated,
      ConversationMembers members,
      OfflineMetrics metrics) {
    this(dataSource, allocated, members, metrics, 0);
  }

  /**
   * @param lanes threads that commit concurrent advances in one transaction per batch ({@link
   *     CursorAdvanceBatches}); 0 for none
   */
  public DeliveryCursors(
      DataSource dataSource,
      AllocatedSeqs allocated,
      ConversationMembers members,
      OfflineMetrics metrics,
      int lanes) {
    this.dataSource = dataSource;
    this.allocated = allocated;
    this.members = members;
    this.metrics = metrics;
    this.batches = lanes > 0 ? new CursorAdvanceBatches(this, dataSource, lanes) : null;
  }

  /**
   * Moves the device's cursor in the conversation up to {@code deliveredSeq} (never down).
   *
   * @param deliveredSeq the device holds every message of the conversation up to it
   */
  public CursorAdvance advance(
      long userId, String deviceId, String conversationId, long deliveredSeq) {
    if (batches != null) {
      return batches.advance(new AdvanceRequest(userId, deviceId, conversationId, deliveredSeq));
    }
    try (Connection connection = dataSource.getConnection()) {
      return advanceIn(
          connection, new AdvanceRequest(userId, deviceId, conversationId, deliveredSeq));
    } catch (SQLException e) {
      throw SqlErrors.translate("advancing the cursor of user " + userId, e);
    }
  }

  /**
   * Many advances at once (AdvanceCursors, a connector's coalesced watermarks): through the
   * batching lanes if there are any, so they share transactions with concurrent calls, otherwise in
   * one transaction of their own.
   *
   * @return one result per request, in order
   */
  public List<CursorAdvance> advanceAll(List<AdvanceRequest> requests) {
    if (requests.isEmpty()) {
      return List.of();
    }
    if (batches != null) {
      return batches.advanceAll(requests);
    }
    try {
      return advanceAllInTransaction(requests);
    } catch (SQLException e) {
      throw SqlErrors.translate("advancing " + requests.size() + " cursors", e);
    }
  }

  /** {@link #advanceAllIn} in a transaction of its own, rolled back if anything fails. */
  List<CursorAdvance> advanceAllInTransaction(List<AdvanceRequest> requests) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        List<CursorAdvance> done = advanceAllIn(connection, requests);
        connection.commit();
        return done;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // A broken connection: the server rolls back on disconnect.
        }
        throw e;
      }
    }
  }

  /** Stops the batching lanes, if any; waiting calls fail as unavailable. */
  @Override
  public void close() {
    if (batches != null) {
      batches.close();
    }
  }

  /** One cursor move: AdvanceCursor, or an item of AdvanceCursors. */
  public record AdvanceRequest(
      long userId, String deviceId, String conversationId, long deliveredSeq) {}

  /** The advance on {@code connection}, in whatever transaction it is in. */
  CursorAdvance advanceIn(Connection connection, AdvanceRequest request) throws SQLException {
    return advanceAllIn(connection, List.of(request)).get(0);
  }

  /**
   * Moves the device's receipt cursor up to the receipt with this id.
   *
   * @return false if no receipt with that id is addressed to the user (nothing recorded)
   */
  public boolean ackReceipts(long userId, String deviceId, long lastReceiptId) {
    try (Connection connection = dataSource.getConnection()) {
      long userSeq;
      try (PreparedStatement select = connection.prepareStatement(RECEIPT_SEQ)) {
        select.setLong(1, lastReceiptId);
        select.setLong(2, userId);
        try (ResultSet rows = select.executeQuery()) {
          if (!rows.next()) {
            return false;
          }
          userSeq = rows.getLong(1);
        }
      }
      try (PreparedStatement ack = connection.prepareStatement(ACK_RECEIPTS)) {
        ack.setLong(1, userId);
        ack.setString(2, deviceId);
        ack.setLong(3, userSeq);
        ack.executeUpdate();
      }
      return true;
    } catch (SQLException e) {
      throw SqlErrors.translate("acknowledging receipts of user " + userId, e);
    }
  }

  /**
   * The advances of a batch on {@code connection}, in whatever transaction it is in: membership,
   * the clamp to the conversation's head and one {@code GREATEST} upsert, with one statement each
   * for the whole batch (heads, allocated seqs, upsert, read back) rather than four per advance. In
   * a p2p benchmark those per-advance round trips were the largest database cost of the system.
   *
   * @return one result per request, in order
   */
  List<CursorAdvance> advanceAllIn(Connection connection, List<AdvanceRequest> requests)
      throws SQLException {
    boolean[] member = new boolean[requests.size()];
    Set<String> conversations = new TreeSet<>();
    for (int i = 0; i < requests.size(); i++) {
      AdvanceRequest r = requests.get(i);
      member[i] = isMember(connection, r.userId(), r.conversationId());
      if (member[i]) {
        conversations.add(r.conversationId());
      }
    }
    Map<String, Long> heads = new HashMap<>();
    SyncReader.storedHeads(connection, conversations)
        .forEach((c, stored) -> heads.put(c, stored[0])); // last_seq
    allocated.read(connection, conversations).forEach((c, seq) -> heads.merge(c, seq, Math::max));
    List<AdvanceRequest> moving = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      if (!member[i]) {
        continue;
      }
      AdvanceRequest r = requests.get(i);
      long head = heads.getOrDefault(r.conversationId(), 0L);
      long target = r.deliveredSeq();
      if (target > head) {
        metrics.cursorClamped();
        target = head;
      }
      if (target > 0) { // nothing allocated or stored yet: nothing to record
        moving.add(new AdvanceRequest(r.userId(), r.deviceId(), r.conversationId(), target));
      }
    }
    if (!moving.isEmpty()) {
      String rows = String.join(", ", Collections.nCopies(moving.size(), "(?, ?, ?, ?)"));
      try (PreparedStatement advance =
          connection.prepareStatement(ADVANCE.replace("(?, ?, ?, ?)", rows))) {
        int p = 1;
        for (AdvanceRequest r : moving) {
          advance.setLong(p++, r.userId());
          advance.setString(p++, r.deviceId());
          advance.setString(p++, r.conversationId());
          advance.setLong(p++, r.deliveredSeq());
        }
        advance.executeUpdate();
      }
    }
    // A concurrent or earlier acknowledgement may be further; report what is there now.
    Map<AdvanceRequest, Long> now = deliveredSeqs(connection, requests, member);
    List<CursorAdvance> out = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      AdvanceRequest r = requests.get(i);
      out.add(
          member[i]
              ? new CursorAdvance(true, now.getOrDefault(cursorKey(r), 0L))
              : CursorAdvance.notMember());
    }
    return out;
  }

  /** A request with its seq zeroed: the key of its cursor row. */
  private static AdvanceRequest cursorKey(AdvanceRequest r) {
    return new AdvanceRequest(r.userId(), r.deviceId(), r.conversationId(), 0);
  }

  private static Map<AdvanceRequest, Long> deliveredSeqs(
      Connection connection, List<AdvanceRequest> requests, boolean[] member) throws SQLException {
    Set<AdvanceRequest> keys = new LinkedHashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      if (member[i]) {
        keys.add(cursorKey(requests.get(i)));
      }
    }
    Map<AdvanceRequest, Long> seqs = new HashMap<>();
    if (keys.isEmpty()) {
      return seqs;
    }
    try (PreparedStatement select =
        connection.prepareStatement(
            CURSORS_WHERE + String.join(" OR ", Collections.nCopies(keys.size(), CURSOR_KEY)))) {
      int p = 1;
      for (AdvanceRequest k : keys) {
        select.setLong(p++, k.userId());
        select.setString(p++, k.deviceId());
        select.setString(p++, k.conversationId());
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          seqs.put(
              new AdvanceRequest(rows.getLong(1), rows.getString(2), rows.getString(3), 0),
              rows.getLong(4));
        }
      }
    }
    return seqs;
  }

  /** This store's membership, a single conversation's id, or transfer's membership. */
  private boolean isMember(Connection connection, long userId, String conversationId)
      throws SQLException {
    return Conversations.peerOf(conversationId, userId) > 0
        || exists(connection, IS_MEMBER, userId, conversationId)
        || members.isMember(connection, userId, conversationId);
  }

  static boolean exists(Connection connection, String sql, long userId, String conversationId)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setLong(1, userId);
      select.setString(2, conversationId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    }
  }
}
