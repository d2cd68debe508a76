package dev.switchboard.transfer.relations;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.transfer.db.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Reads account-api's {@code friendship} (two rows per friendship) and {@code user_block} ({@code
 * user_id} blocked {@code blocked_user_id}) tables; transfer never writes them.
 *
 * <p>If the tables do not exist yet (account-api has not migrated), everybody is a stranger to
 * everybody and nobody has friends, with a WARN at most once a minute, as {@link
 * dev.switchboard.transfer.users.UserDirectory} does for {@code users}.
 */
public final class RelationTables implements RelationLoader {
  /**
   * One round trip, three primary-key probes. A friendship counts if either of its two rows is
   * there, so a half-written pair (which account-api never commits) would not refuse messages.
   */
  private static final String RELATION =
      "SELECT"
          + " EXISTS(SELECT 1 FROM friendship"
          + "   WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)),"
          + " EXISTS(SELECT 1 FROM user_block WHERE user_id = ? AND blocked_user_id = ?),"
          + " EXISTS(SELECT 1 FROM user_block WHERE user_id = ? AND blocked_user_id = ?)";

  private static final String FRIENDS = "SELECT friend_id FROM friendship WHERE user_id = ?";

  private final DataSource dataSource;
  private final RateLimitedLog missingTables =
      new RateLimitedLog(LoggerFactory.getLogger(RelationTables.class), 60_000);

  public RelationTables(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Relation load(PairKey pair) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(RELATION)) {
      select.setLong(1, pair.a());
      select.setLong(2, pair.b());
      select.setLong(3, pair.b());
      select.setLong(4, pair.a());
      select.setLong(5, pair.a());
      select.setLong(6, pair.b());
      select.setLong(7, pair.b());
      select.setLong(8, pair.a());
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return new Relation(row.getBoolean(1), row.getBoolean(2), row.getBoolean(3));
      }
    } catch (SQLException e) {
      if (SqlErrors.isMissingTable(e)) {
        missingTables.warn(
            "tables friendship/user_block do not exist yet (account-api not migrated?): {}",
            e.getMessage());
        return Relation.STRANGERS;
      }
      throw SqlErrors.translate("reading the relation of " + pair.a() + " and " + pair.b(), e);
    }
  }

  /** The friends of {@code userId}, in no particular order. */
  public List<Long> friendsOf(long userId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(FRIENDS)) {
      select.setLong(1, userId);
      List<Long> friends = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          friends.add(rows.getLong(1));
        }
      }
      return friends;
    } catch (SQLException e) {
      if (SqlErrors.isMissingTable(e)) {
        missingTables.warn(
            "table friendship does not exist yet (account-api not migrated?): {}", e.getMessage());
        return List.of();
      }
      throw SqlErrors.translate("reading the friends of " + userId, e);
    }
  }
}
