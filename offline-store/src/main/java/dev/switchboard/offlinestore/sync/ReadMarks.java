package dev.switchboard.offlinestore.sync;

import dev.switchboard.offlinestore.store.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Per-user read marks (user_conversation.last_read_seq): raised with one atomic GREATEST, never
 * lowered. READ receipts on the log raise them too (the consumer applies them), so calling MarkRead
 * for a READ that also went through transfer is harmless.
 */
public final class ReadMarks {
  static final String MARK_READ =
      "UPDATE user_conversation SET last_read_seq = GREATEST(last_read_seq, ?)"
          + " WHERE user_id = ? AND conversation_id = ?";
  static final String READ_SEQ =
      "SELECT last_read_seq FROM user_conversation WHERE user_id = ? AND conversation_id = ?";

  private final DataSource dataSource;

  public ReadMarks(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * @return the read mark afterwards, or empty if the user has no such conversation
   */
  public OptionalLong markRead(long userId, String conversationId, long seq) {
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement update = connection.prepareStatement(MARK_READ)) {
        update.setLong(1, seq);
        update.setLong(2, userId);
        update.setString(3, conversationId);
        update.executeUpdate();
      }
      try (PreparedStatement select = connection.prepareStatement(READ_SEQ)) {
        select.setLong(1, userId);
        select.setString(2, conversationId);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
        }
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("marking read for user " + userId, e);
    }
  }
}
