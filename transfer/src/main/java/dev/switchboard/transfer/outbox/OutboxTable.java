package dev.switchboard.transfer.outbox;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.transfer.db.SqlErrors;
import dev.switchboard.transfer.db.StoreFailureException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * The outbox in MySQL: {@code outbox_batch} rows, one per sequencing batch (written by {@link
 * dev.switchboard.transfer.sequence.AcceptBatcher} and {@link
 * dev.switchboard.transfer.sequence.MessageStore} in the sequencing transaction), each naming the
 * messages it covers. See V3__outbox_batches.sql.
 */
public final class OutboxTable {
  // SKIP LOCKED (MySQL 8, MariaDB 10.6+): a row another republisher is claiming right now is
  // skipped instead of waited for; its claimed_until_ms then keeps it skipped while that one
  // produces it.
  private static final String SELECT_DUE =
      "SELECT id, msg_ids FROM outbox_batch"
          + " WHERE sent_at_ms <= ? AND claimed_until_ms <= ?"
          + " ORDER BY sent_at_ms LIMIT ? FOR UPDATE SKIP LOCKED";

  private final DataSource dataSource;

  public OutboxTable(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * A claimed outbox row: its id and the messages it names.
   *
   * @param readable false if its msg_ids column is not a list of ids (then {@code msgIds} is
   *     empty): nothing in it can be produced, and it must not be removed as if it were done
   */
  public record Claimed(long id, List<Long> msgIds, boolean readable) {}

  /**
   * Claims unpublished rows written at or before {@code sentBeforeMs} that nobody holds a claim on
   * at {@code nowMs}, for this caller until {@code claimUntilMs}: the oldest first, until they name
   * {@code limit} messages (at least one row, however many it names).
   */
  public List<Claimed> claim(long sentBeforeMs, long nowMs, long claimUntilMs, int limit) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        List<Claimed> claimed = new ArrayList<>();
        int messages = 0;
        try (PreparedStatement select = connection.prepareStatement(SELECT_DUE)) {
          select.setLong(1, sentBeforeMs);
          select.setLong(2, nowMs);
          select.setInt(3, limit);
          try (ResultSet rows = select.executeQuery()) {
            while (messages < limit && rows.next()) {
              Claimed row = read(rows.getLong(1), rows.getBytes(2));
              claimed.add(row);
              messages += row.msgIds().size();
            }
          }
        }
        if (!claimed.isEmpty()) {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE outbox_batch SET claimed_until_ms = ? WHERE id IN ("
                      + placeholders(claimed.size())
                      + ")")) {
            update.setLong(1, claimUntilMs);
            bindIds(update, 2, claimed.stream().map(Claimed::id).toList());
            update.executeUpdate();
          }
        }
        // Rows selected beyond the limit were locked too; the commit releases them unclaimed.
        connection.commit();
        return claimed;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("claiming outbox rows", e);
    }
  }

  /**
   * A damaged row is claimed like any other, so it neither stops the claims behind it (they come in
   * sent_at_ms order) nor gets claimed on every pass.
   */
  private static Claimed read(long id, byte[] msgIds) {
    try {
      return new Claimed(id, OutboxRow.unpack(msgIds), true);
    } catch (IllegalArgumentException e) {
      return new Claimed(id, List.of(), false);
    }
  }

  /** The accepted messages with these ids, exactly as they were first written to Kafka. */
  public List<ChatMsg> load(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT msg FROM accepted_message WHERE msg_id IN ("
                    + placeholders(ids.size())
                    + ")")) {
      bindIds(select, 1, ids);
      List<ChatMsg> messages = new ArrayList<>(ids.size());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          messages.add(ChatMsg.parseFrom(rows.getBytes(1)));
        }
      }
      return messages;
    } catch (InvalidProtocolBufferException e) {
      throw new StoreFailureException("accepted_message.msg is not a ChatMsg", e);
    } catch (SQLException e) {
      throw SqlErrors.translate("loading unpublished messages", e);
    }
  }

  /**
   * Removes these outbox rows: the broker acknowledged every message they name, which is what marks
   * those messages published.
   */
  public void remove(Collection<Long> rowIds) {
    if (rowIds.isEmpty()) {
      return;
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM outbox_batch WHERE id IN (" + placeholders(rowIds.size()) + ")")) {
      bindIds(delete, 1, rowIds);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.translate("removing outbox rows", e);
    }
  }

  private static String placeholders(int n) {
    return String.join(",", Collections.nCopies(n, "?"));
  }

  private static void bindIds(PreparedStatement statement, int first, Collection<Long> ids)
      throws SQLException {
    int i = first;
    for (long id : ids) {
      statement.setLong(i++, id);
    }
  }
}
