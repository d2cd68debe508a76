package dev.switchboard.account.friends;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code user_block} table: {@code user_id} blocked {@code blocked_user_id}. */
public final class BlockRepository {
  private final JdbcClient jdbc;

  public BlockRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Whether either of the two blocked the other (two primary-key reads). */
  public boolean eitherBlocked(long a, long b) {
    return jdbc.sql(
                "SELECT COUNT(*) FROM user_block"
                    + " WHERE (user_id = ? AND blocked_user_id = ?)"
                    + " OR (user_id = ? AND blocked_user_id = ?)")
            .params(a, b, b, a)
            .query(Integer.class)
            .single()
        > 0;
  }

  /** Idempotent: blocking again keeps the first block's time. */
  public void insert(long userId, long blockedUserId, Instant now) {
    jdbc.sql(
            "INSERT IGNORE INTO user_block (user_id, blocked_user_id, created_at) VALUES (?, ?, ?)")
        .params(userId, blockedUserId, Timestamp.from(now))
        .update();
  }

  /** Idempotent; returns whether a block was there. */
  public boolean delete(long userId, long blockedUserId) {
    return jdbc.sql("DELETE FROM user_block WHERE user_id = ? AND blocked_user_id = ?")
            .params(userId, blockedUserId)
            .update()
        > 0;
  }

  /** The users this one blocked, last blocked first. */
  public List<BlockedUser> blockedBy(long userId) {
    return jdbc.sql(
            "SELECT u.id, u.username, u.nickname FROM user_block b"
                + " JOIN users u ON u.id = b.blocked_user_id"
                + " WHERE b.user_id = ? ORDER BY b.created_at DESC, u.id")
        .param(userId)
        .query(
            (rs, row) ->
                new BlockedUser(
                    rs.getLong("id"), rs.getString("username"), rs.getString("nickname")))
        .list();
  }
}
