package dev.switchboard.account.friends;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The {@code friend_request} table (migration {@code V3__friends_and_blocks.sql}). One row per
 * ordered pair, reused when the sender asks again. State changes are guarded by the expected state
 * in the {@code WHERE} clause, so a request is accepted, rejected or cancelled at most once.
 */
public final class FriendRequestRepository {
  private static final String COLUMNS =
      "id, from_user_id, to_user_id, message, status, created_at, updated_at";
  private static final RowMapper<FriendRequest> REQUEST =
      (rs, row) ->
          new FriendRequest(
              rs.getLong("id"),
              rs.getLong("from_user_id"),
              rs.getLong("to_user_id"),
              rs.getString("message"),
              FriendRequestStatus.valueOf(rs.getString("status")),
              rs.getTimestamp("created_at").toInstant(),
              rs.getTimestamp("updated_at").toInstant());

  private final JdbcClient jdbc;

  public FriendRequestRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<FriendRequest> find(long id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM friend_request WHERE id = ?")
        .param(id)
        .query(REQUEST)
        .optional();
  }

  /** The request {@code fromUserId} made to {@code toUserId}, in whatever state. */
  public Optional<FriendRequest> findByPair(long fromUserId, long toUserId) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM friend_request WHERE from_user_id = ? AND to_user_id = ?")
        .params(fromUserId, toUserId)
        .query(REQUEST)
        .optional();
  }

  /**
   * A new pending request.
   *
   * @throws org.springframework.dao.DuplicateKeyException when the pair has a row already
   */
  public FriendRequest insertPending(long fromUserId, long toUserId, String message, Instant now) {
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql(
            "INSERT INTO friend_request"
                + " (from_user_id, to_user_id, message, status, created_at, updated_at)"
                + " VALUES (?, ?, ?, 'PENDING', ?, ?)")
        .params(fromUserId, toUserId, message, Timestamp.from(now), Timestamp.from(now))
        .update(keys, "id");
    Number id = keys.getKey();
    if (id == null) {
      throw new IllegalStateException("the database returned no id for the new friend request");
    }
    return new FriendRequest(
        id.longValue(), fromUserId, toUserId, message, FriendRequestStatus.PENDING, now, now);
  }

  /**
   * Makes the row pending with a new message. {@code createdAt} is kept for a request that was
   * still pending and set to {@code now} for one that had been closed: it is a new request then.
   */
  public FriendRequest reopen(FriendRequest existing, String message, Instant now) {
    Instant createdAt = existing.isPending() ? existing.createdAt() : now;
    jdbc.sql(
            "UPDATE friend_request SET message = ?, status = 'PENDING', created_at = ?,"
                + " updated_at = ? WHERE id = ?")
        .params(message, Timestamp.from(createdAt), Timestamp.from(now), existing.id())
        .update();
    return new FriendRequest(
        existing.id(),
        existing.fromUserId(),
        existing.toUserId(),
        message,
        FriendRequestStatus.PENDING,
        createdAt,
        now);
  }

  /**
   * Moves a pending request to {@code next}; the state guard in the statement makes it atomic.
   *
   * @return false when the request was not pending (any more)
   */
  public boolean closePending(long id, FriendRequestStatus next, Instant now) {
    return jdbc.sql(
                "UPDATE friend_request SET status = ?, updated_at = ?"
                    + " WHERE id = ? AND status = 'PENDING'")
            .params(next.name(), Timestamp.from(now), id)
            .update()
        == 1;
  }

  /** Cancels the pending requests between the two, in both directions; returns how many. */
  public int cancelPendingBetween(long a, long b, Instant now) {
    return jdbc.sql(
            "UPDATE friend_request SET status = 'CANCELLED', updated_at = ?"
                + " WHERE status = 'PENDING' AND ((from_user_id = ? AND to_user_id = ?)"
                + " OR (from_user_id = ? AND to_user_id = ?))")
        .params(Timestamp.from(now), a, b, b, a)
        .update();
  }

  /** Outgoing pending requests of the user (index {@code (from_user_id, status)}). */
  public int countPendingFrom(long userId) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM friend_request WHERE from_user_id = ? AND status = 'PENDING'")
        .param(userId)
        .query(Integer.class)
        .single();
  }

  /** Pending requests to the user, last changed first. */
  public List<FriendRequest> pendingTo(long userId, int limit) {
    return pending("to_user_id", userId, limit);
  }

  /** Pending requests from the user, last changed first. */
  public List<FriendRequest> pendingFrom(long userId, int limit) {
    return pending("from_user_id", userId, limit);
  }

  private List<FriendRequest> pending(String column, long userId, int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM friend_request WHERE "
                + column
                + " = ? AND status = 'PENDING' ORDER BY updated_at DESC, id DESC LIMIT ?")
        .params(userId, limit)
        .query(REQUEST)
        .list();
  }
}
