package dev.switchboard.account.friends;

import dev.switchboard.account.user.PublicProfile;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code friendship} table: two rows per friendship, (a, b) and (b, a), always written and
 * deleted by one statement, so they can never be seen half made. transfer reads it by primary key.
 */
public final class FriendshipRepository {

  /** A friend's profile with the friendship's start, before presence is added. */
  public record FriendRow(PublicProfile profile, Instant since) {}

  private final JdbcClient jdbc;

  public FriendshipRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public boolean areFriends(long a, long b) {
    return jdbc.sql("SELECT COUNT(*) FROM friendship WHERE user_id = ? AND friend_id = ?")
            .params(a, b)
            .query(Integer.class)
            .single()
        > 0;
  }

  public int countFriends(long userId) {
    return jdbc.sql("SELECT COUNT(*) FROM friendship WHERE user_id = ?")
        .param(userId)
        .query(Integer.class)
        .single();
  }

  /** Both rows in one statement; a row that exists already is kept as it is. */
  public void insert(long a, long b, Instant now) {
    Timestamp at = Timestamp.from(now);
    jdbc.sql(
            "INSERT IGNORE INTO friendship (user_id, friend_id, created_at)"
                + " VALUES (?, ?, ?), (?, ?, ?)")
        .params(a, b, at, b, a, at)
        .update();
  }

  /**
   * Both rows in one statement.
   *
   * @return false when they were not friends
   */
  public boolean delete(long a, long b) {
    return jdbc.sql(
                "DELETE FROM friendship"
                    + " WHERE (user_id = ? AND friend_id = ?) OR (user_id = ? AND friend_id = ?)")
            .params(a, b, b, a)
            .update()
        > 0;
  }

  /** The user's friends with their profiles, by username. */
  public List<FriendRow> friendsOf(long userId) {
    return jdbc.sql(
            "SELECT u.id, u.username, u.nickname, u.avatar_url, f.created_at"
                + " FROM friendship f JOIN users u ON u.id = f.friend_id"
                + " WHERE f.user_id = ? ORDER BY u.username")
        .param(userId)
        .query(
            (rs, row) ->
                new FriendRow(
                    new PublicProfile(
                        rs.getLong("id"),
                        rs.getString("username"),
                        rs.getString("nickname"),
                        rs.getString("avatar_url")),
                    rs.getTimestamp("created_at").toInstant()))
        .list();
  }
}
