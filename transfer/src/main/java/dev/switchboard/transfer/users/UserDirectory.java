package dev.switchboard.transfer.users;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.transfer.db.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Does a user id exist? Reads account-api's {@code users} table (read only; transfer never writes
 * it).
 *
 * <p>Users are never deleted, so a user seen once is cached for good (bounded, least recently used
 * evicted). "No such user" is cached only briefly ({@code unknownTtl}) so that a user who registers
 * a moment later becomes reachable quickly, while a client hammering an unknown id does not hit
 * MySQL per message. If the table does not exist yet (account-api has not migrated), every id is
 * unknown.
 */
public final class UserDirectory {
  private final DataSource dataSource;
  private final Cache<Long, Boolean> known;
  private final Cache<Long, Boolean> unknown;
  private final RateLimitedLog missingTable =
      new RateLimitedLog(LoggerFactory.getLogger(UserDirectory.class), 60_000);

  public UserDirectory(DataSource dataSource, int knownCacheSize, Duration unknownTtl) {
    this.dataSource = dataSource;
    this.known = Caffeine.newBuilder().maximumSize(knownCacheSize).build();
    this.unknown =
        Caffeine.newBuilder()
            .maximumSize(Math.max(1_000, knownCacheSize / 10))
            .expireAfterWrite(unknownTtl)
            .build();
  }

  public boolean exists(long userId) {
    return existing(List.of(userId)).contains(userId);
  }

  /**
   * The ids among {@code userIds} that name a user.
   *
   * @throws dev.switchboard.transfer.db.StoreUnavailableException if MySQL is unreachable
   */
  public Set<Long> existing(Collection<Long> userIds) {
    Set<Long> found = new HashSet<>();
    Set<Long> toQuery = new LinkedHashSet<>();
    for (Long id : userIds) {
      if (id == null || id <= 0) {
        continue;
      }
      if (known.getIfPresent(id) != null) {
        found.add(id);
      } else if (unknown.getIfPresent(id) == null) {
        toQuery.add(id);
      }
    }
    if (toQuery.isEmpty()) {
      return found;
    }
    Set<Long> loaded = query(toQuery);
    for (Long id : toQuery) {
      if (loaded.contains(id)) {
        known.put(id, Boolean.TRUE);
        found.add(id);
      } else {
        unknown.put(id, Boolean.TRUE);
      }
    }
    return found;
  }

  private Set<Long> query(Set<Long> ids) {
    String sql =
        "SELECT id FROM users WHERE id IN (" + String.join(",", placeholders(ids.size())) + ")";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      int i = 1;
      for (Long id : ids) {
        select.setLong(i++, id);
      }
      Set<Long> found = new HashSet<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found.add(rows.getLong(1));
        }
      }
      return found;
    } catch (SQLException e) {
      if (SqlErrors.isMissingTable(e)) {
        missingTable.warn("table users does not exist yet (account-api not migrated?)");
        return Set.of();
      }
      throw SqlErrors.translate("looking up users", e);
    }
  }

  private static List<String> placeholders(int n) {
    List<String> marks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      marks.add("?");
    }
    return marks;
  }
}
