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
 * The outbox in MySQL: {@code unpublished_message} rows (written by {@link
 * dev.switchboard.transfer.sequence.MessageStore} in the sequencing transaction) and {@code
 * accepted_message.published_at_ms}. See V2__outbox_and_members.sql for why a separate table.
 */
public final class OutboxTable {
  // SKIP LOCKED (MySQL 8, MariaDB 10.6+): a row another republisher is claiming right now is
  // skipped instead of waited for; its claimed_until_ms then keeps it skipped while that one
  // produces it.
  private static final String SELECT_DUE =
      "SELECT msg_id FROM unpublished_message"
          + " WHERE sent_at_ms <= ? AND claimed_until_ms <= ?"
          + " ORDER BY sent_at_ms LIMIT ? FOR UPDATE SKIP LOCKED";

  private final DataSource dataSource;

  public OutboxTable(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Claims up to {@code limit} unpublished messages accepted at or before {@code sentBeforeMs} that
   * nobody holds a claim on at {@code nowMs}, for this caller until {@code claimUntilMs}.
   *
   * @return the claimed message ids, oldest first
   */
  public List<Long> claim(long sentBeforeMs, long nowMs, long claimUntilMs, int limit) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT_DUE)) {
          select.setLong(1, sentBeforeMs);
          select.setLong(2, nowMs);
          select.setInt(3, limit);
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getLong(1));
            }
          }
        }
        if (!ids.isEmpty()) {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE unpublished_message SET claimed_until_ms = ? WHERE msg_id IN ("
                      + placeholders(ids.size())
                      + ")")) {
            update.setLong(1, claimUntilMs);
            bindIds(update, 2, ids);
            update.executeUpdate();
          }
        }
        connection.commit();
        return ids;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("claiming unpublished messages", e);
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
   * Records that the broker acknowledged these messages: sets published_at_ms (if not set yet) and
   * removes them from the outbox, in one transaction.
   */
  public void markPublished(Collection<Long> ids, long publishedAtMs) {
    if (ids.isEmpty()) {
      return;
    }
    String in = placeholders(ids.size());
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement update =
            connection.prepareStatement(
                "UPDATE accepted_message SET published_at_ms = ?"
                    + " WHERE published_at_ms IS NULL AND msg_id IN ("
                    + in
                    + ")")) {
          update.setLong(1, publishedAtMs);
          bindIds(update, 2, ids);
          update.executeUpdate();
        }
        try (PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM unpublished_message WHERE msg_id IN (" + in + ")")) {
          bindIds(delete, 1, ids);
          delete.executeUpdate();
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("marking messages published", e);
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
