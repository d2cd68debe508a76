package dev.switchboard.offlinestore.sync;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.offlinestore.store.SqlErrors;
import dev.switchboard.offlinestore.sync.SyncReader.ConversationState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads transfer's memberships ({@code conversation_member}, read-only): transfer writes both
 * members of a conversation in the transaction that allocates its first seq, so a conversation is
 * known here from its first SENT on, before this store consumed anything of it. Without that, a
 * brand-new conversation whose first message is still on its way through Kafka would be in no
 * device's sync window at all: no head, no wait, found only by the idle sync (turms #1482).
 *
 * <p>The table is transfer's, in the shared database. Where offline-store has a database of its own
 * the table is absent: then sync and cursors work from this store's own memberships (written by the
 * consumer) as before, a WARN says so (rate-limited), and the absence is re-checked once a minute
 * rather than on every call.
 */
public final class ConversationMembers {
  private static final Logger log = LoggerFactory.getLogger(ConversationMembers.class);
  private static final Duration RECHECK_ABSENT = Duration.ofMinutes(1);
  private static final long WARN_INTERVAL_MILLIS = Duration.ofMinutes(10).toMillis();

  /** The user's conversations by transfer, from a conversation id on, as {@link SyncReader}'s. */
  static final String WINDOW = SyncReader.windowOver("conversation_member");

  static final String IS_MEMBER =
      "SELECT 1 FROM conversation_member WHERE user_id = ? AND conversation_id = ?";

  private final Clock clock;
  private final RateLimitedLog absent = new RateLimitedLog(log, WARN_INTERVAL_MILLIS);
  private volatile long absentUntilMillis;

  public ConversationMembers(Clock clock) {
    this.clock = clock;
  }

  /**
   * Up to {@code limit} conversations of the user from {@code fromConversation} on (inclusive), in
   * id order, with their stored heads and the device's cursor; empty if the table is absent.
   */
  List<ConversationState> window(
      Connection connection, long userId, String deviceId, String fromConversation, int limit)
      throws SQLException {
    if (isAbsent()) {
      return List.of();
    }
    try {
      return SyncReader.states(connection, WINDOW, userId, deviceId, fromConversation, limit);
    } catch (SQLException e) {
      return absentOrThrow(e, List.of());
    }
  }

  /** Whether transfer noted the user as a member; false if the table is absent. */
  boolean isMember(Connection connection, long userId, String conversationId) throws SQLException {
    if (isAbsent()) {
      return false;
    }
    try (PreparedStatement select = connection.prepareStatement(IS_MEMBER)) {
      select.setLong(1, userId);
      select.setString(2, conversationId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      return absentOrThrow(e, false);
    }
  }

  private boolean isAbsent() {
    return clock.millis() < absentUntilMillis;
  }

  private <T> T absentOrThrow(SQLException e, T fallback) throws SQLException {
    if (!SqlErrors.isMissingTable(e)) {
      throw e;
    }
    absentUntilMillis = clock.millis() + RECHECK_ABSENT.toMillis();
    absent.warn(
        "transfer's conversation_member table is not in this database: a conversation joins"
            + " sync windows only once its first message is stored here, so a brand-new"
            + " conversation's first message can wait for the idle sync");
    return fallback;
  }
}
