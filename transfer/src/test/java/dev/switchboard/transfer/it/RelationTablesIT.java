package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.transfer.db.Databases;
import dev.switchboard.transfer.relations.PairKey;
import dev.switchboard.transfer.relations.Relation;
import dev.switchboard.transfer.relations.RelationCache;
import dev.switchboard.transfer.relations.RelationTables;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reading account-api's friendship and user_block tables on a real MariaDB. */
@ExtendWith(InfraExtension.class)
class RelationTablesIT {

  @Test
  void relation_readsFriendshipAndBlocksInBothDirections(EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_rel");
    db.createRelationTables();
    db.befriend(1, 2);
    db.block(4, 3);
    db.block(5, 6);
    try (HikariDataSource pool = Databases.pool(db.url, db.user, db.password, 2, "rel-it")) {
      RelationTables tables = new RelationTables(pool);

      assertThat(tables.load(PairKey.of(2, 1))).isEqualTo(new Relation(true, false, false));
      assertThat(tables.load(PairKey.of(3, 4))).isEqualTo(new Relation(false, false, true));
      assertThat(tables.load(PairKey.of(6, 5))).isEqualTo(new Relation(false, true, false));
      assertThat(tables.load(PairKey.of(1, 3))).isEqualTo(Relation.STRANGERS);
      assertThat(tables.friendsOf(1)).containsExactly(2L);
      assertThat(tables.friendsOf(3)).isEmpty();
    }
  }

  @Test
  void missingTables_meanStrangersWithoutFriends(EmbeddedMariaDb mariaDb) {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_norel");
    try (HikariDataSource pool = Databases.pool(db.url, db.user, db.password, 2, "norel-it")) {
      RelationTables tables = new RelationTables(pool);

      assertThat(tables.load(PairKey.of(1, 2))).isEqualTo(Relation.STRANGERS);
      assertThat(tables.friendsOf(1)).isEmpty();
    }
  }

  @Test
  void cachedRelation_isAnsweredWithoutTheDatabase(EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "transfer_relcache");
    db.createRelationTables();
    db.befriend(10, 11);
    HikariDataSource pool = Databases.pool(db.url, db.user, db.password, 2, "relcache-it");
    RelationCache cache = new RelationCache(new RelationTables(pool), 1_000, Duration.ofMinutes(1));
    assertThat(cache.relation(10, 11).friends()).isTrue();

    // With the pool closed any query would fail: the answer comes from the cache.
    pool.close();
    assertThat(cache.relation(11, 10).friends()).isTrue();
    assertThat(cache.loads()).isEqualTo(1);
    cache.invalidate(List.of(PairKey.of(10, 11)));
    assertThat(cache.cache().estimatedSize()).isZero();
  }
}
