package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.transfer.db.Databases;
import dev.switchboard.transfer.users.UserDirectory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class UserDirectoryIT {

  @Test
  void usersTableMissing_meansEveryUserIsUnknown_untilAccountApiCreatesIt(EmbeddedMariaDb mariaDb)
      throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_users");
    try (HikariDataSource pool = Databases.pool(db.url, db.user, db.password, 2, "users-it")) {
      UserDirectory users = new UserDirectory(pool, 1_000, Duration.ofMillis(300));
      assertThat(users.exists(1)).isFalse();

      db.createUsersTable();
      db.insertUsers(1, 3);
      // "Unknown" is believed only briefly.
      await().atMost(Duration.ofSeconds(5)).until(() -> users.exists(1));
      assertThat(users.existing(List.of(1L, 2L, 3L, 4L))).containsExactlyInAnyOrder(1L, 2L, 3L);
    }
  }

  @Test
  void knownUser_staysKnownWithoutAskingTheDatabaseAgain(EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_users");
    db.createUsersTable();
    db.insertUsers(10, 10);
    HikariDataSource pool = Databases.pool(db.url, db.user, db.password, 2, "users-it2");
    UserDirectory users = new UserDirectory(pool, 1_000, Duration.ofSeconds(5));
    assertThat(users.exists(10)).isTrue();
    // With the pool closed any query would fail: the answer comes from the cache.
    pool.close();
    assertThat(users.exists(10)).isTrue();
  }
}
