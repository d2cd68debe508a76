package dev.switchboard.account.user;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The {@code users} table (migrations {@code db/migration/account/V1__users.sql}, {@code
 * V2__users_avatar_url.sql}). Usernames are compared case-insensitively by the column's collation:
 * "Bob" and "bob" are the same account.
 */
public final class UserRepository {
  private static final String COLUMNS = "id, username, password_hash, nickname, avatar_url";

  /**
   * Hides a user from a caller the user blocked: one query answers a miss and a hidden user alike,
   * so neither the answer nor its cost tells them apart.
   */
  private static final String NOT_BLOCKING_CALLER =
      " AND NOT EXISTS (SELECT 1 FROM user_block b WHERE b.user_id = users.id"
          + " AND b.blocked_user_id = :caller)";

  private static final RowMapper<User> USER =
      (rs, row) ->
          new User(
              rs.getLong("id"),
              rs.getString("username"),
              rs.getString("password_hash"),
              rs.getString("nickname"),
              rs.getString("avatar_url"));

  private final JdbcClient jdbc;

  public UserRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts a user and returns it with its new id.
   *
   * @throws org.springframework.dao.DuplicateKeyException when the username is taken; the unique
   *     key decides, so two concurrent registrations of one name cannot both succeed
   */
  public User insert(String username, String passwordHash, String nickname) {
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql("INSERT INTO users (username, password_hash, nickname) VALUES (?, ?, ?)")
        .params(username, passwordHash, nickname)
        .update(keys, "id");
    Number id = keys.getKey();
    if (id == null) {
      throw new IllegalStateException("the database returned no id for the new user");
    }
    return new User(id.longValue(), username, passwordHash, nickname, null);
  }

  public Optional<User> findById(long id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = ?")
        .param(id)
        .query(USER)
        .optional();
  }

  public Optional<User> findByUsername(String username) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE username = ?")
        .param(username)
        .query(USER)
        .optional();
  }

  /** The user, unless it does not exist or has blocked {@code callerId}. */
  public Optional<User> findVisibleById(long callerId, long id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id" + NOT_BLOCKING_CALLER)
        .param("id", id)
        .param("caller", callerId)
        .query(USER)
        .optional();
  }

  /** The user, unless it does not exist or has blocked {@code callerId}. */
  public Optional<User> findVisibleByUsername(long callerId, String username) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM users WHERE username = :username" + NOT_BLOCKING_CALLER)
        .param("username", username)
        .param("caller", callerId)
        .query(USER)
        .optional();
  }

  /** One query for many ids; ids without a user are simply absent from the result. */
  public List<User> findAllByIds(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id IN (:ids)")
        .param("ids", ids)
        .query(USER)
        .list();
  }

  /**
   * Applies a partial update in one statement.
   *
   * @return false when the user does not exist (Connector/J counts matched rows, not changed ones,
   *     so an update to the same values still answers true)
   */
  public boolean updateProfile(long id, ProfileChange change) {
    // COALESCE keeps the column when the new value is null; an empty avatar URL removes it.
    return jdbc.sql(
                "UPDATE users SET nickname = COALESCE(:nickname, nickname),"
                    + " avatar_url = CASE WHEN :avatar IS NULL THEN avatar_url"
                    + " WHEN :avatar = '' THEN NULL ELSE :avatar END"
                    + " WHERE id = :id")
            .param("nickname", change.nickname())
            .param("avatar", change.avatarUrl())
            .param("id", id)
            .update()
        > 0;
  }

  /**
   * Locks the rows of both users until the transaction ends ({@code SELECT ... FOR UPDATE}, in
   * ascending id order so that two transactions on one pair cannot deadlock). Every change of a
   * friendship, friend request or block between two users takes this lock first: changes of one
   * pair, and the friend and pending-request counts of one user, are serialized.
   *
   * @return the ids of the two that exist
   */
  public Set<Long> lockPair(long a, long b) {
    return new HashSet<>(
        jdbc.sql("SELECT id FROM users WHERE id IN (?, ?) ORDER BY id FOR UPDATE")
            .params(Math.min(a, b), Math.max(a, b))
            .query(Long.class)
            .list());
  }
}
