package dev.switchboard.offlinestore.sync;

import dev.switchboard.offlinestore.store.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads transfer's allocated seqs ({@code conversation_seq.last_seq}, read-only): the highest seq
 * of each conversation that was accepted, stored here or not yet. That is what lets a syncing
 * client notice a message that was SENT but is still on its way through Kafka ("allocated, not
 * stored, max seq" in the architecture).
 *
 * <p>The table is transfer's, in the shared database. Where offline-store has a database of its own
 * the table is absent: then every allocated seq reads as 0 (clients fall back to the periodic
 * sync), and the absence is re-checked once a minute rather than on every call.
 */
public final class AllocatedSeqs {
  private static final Logger log = LoggerFactory.getLogger(AllocatedSeqs.class);
  private static final Duration RECHECK_ABSENT = Duration.ofMinutes(1);

  static final String SELECT_PREFIX =
      "SELECT conversation_id, last_seq FROM conversation_seq WHERE conversation_id IN (";

  private final Clock clock;
  private volatile long absentUntilMillis;

  public AllocatedSeqs(Clock clock) {
    this.clock = clock;
  }

  Map<String, Long> read(Connection connection, Collection<String> conversationIds)
      throws SQLException {
    if (conversationIds.isEmpty() || clock.millis() < absentUntilMillis) {
      return Map.of();
    }
    List<String> ids = List.copyOf(conversationIds);
    Map<String, Long> seqs = new HashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            SELECT_PREFIX + String.join(",", Collections.nCopies(ids.size(), "?")) + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        select.setString(i + 1, ids.get(i));
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          seqs.put(rows.getString(1), rows.getLong(2));
        }
      }
    } catch (SQLException e) {
      if (!SqlErrors.isMissingTable(e)) {
        throw e;
      }
      if (absentUntilMillis == 0) {
        log.info(
            "transfer's conversation_seq table is not in this database; allocated seqs read as 0");
      }
      absentUntilMillis = clock.millis() + RECHECK_ABSENT.toMillis();
      return Map.of();
    }
    return seqs;
  }
}
