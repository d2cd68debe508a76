package dev.switchboard.account.user;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The {@code users} table (migration {@code db/migration/account/V1__users.sql}). Usernames are
 * compared case-insensitively by the column's collation: "Bob" and "bob" are the same account.
 */
public final class UserRepository {
  private static final String COLUMNS = "id, username, password_hash, nickname";
  private static final RowMapper<User> USER =
      (rs, row) ->
          new User(
              rs.getLong("id"),
              rs.getString("username"),
              rs.getString("password_hash"),
              rs.getString("nickname"));

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
    return new User(id.longValue(), username, passwordHash, nickname);
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
}
