package dev.switchboard.transfer.relations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.transfer.db.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RelationCacheTest {
  private final AtomicLong nanos = new AtomicLong();
  private final FakeTables tables = new FakeTables();
  private final RelationCache cache =
      new RelationCache(tables, 1_000, Duration.ofSeconds(60), nanos::get);

  @Test
  void onePair_isLoadedOnce_whicheverSideAsks() {
    tables.set(7, 3, new Relation(true, false, false));

    assertThat(cache.relation(3, 7).friends()).isTrue();
    assertThat(cache.relation(7, 3).friends()).isTrue();
    assertThat(cache.relation(3, 7).friends()).isTrue();

    assertThat(tables.loaded).containsExactly(new PairKey(3, 7));
    assertThat(cache.loads()).isEqualTo(1);
  }

  @Test
  void aChangeInTheTables_isNotSeen_untilThePairIsInvalidated() {
    tables.set(3, 7, new Relation(true, false, false));
    assertThat(cache.relation(3, 7).friends()).isTrue();

    tables.set(3, 7, Relation.STRANGERS);
    assertThat(cache.relation(3, 7).friends()).as("still cached").isTrue();

    cache.invalidate(List.of(PairKey.of(7, 3)));
    assertThat(cache.relation(3, 7).friends()).isFalse();
    assertThat(cache.loads()).isEqualTo(2);
    assertThat(cache.invalidations()).isEqualTo(1);
  }

  @Test
  void invalidation_dropsOnlyTheNamedPairs() {
    cache.relation(1, 2);
    cache.relation(1, 3);
    cache.relation(2, 3);

    cache.invalidate(List.of(PairKey.of(1, 3), PairKey.of(3, 2)));
    cache.relation(1, 2);
    cache.relation(1, 3);
    cache.relation(2, 3);

    assertThat(tables.loaded)
        .containsExactly(
            new PairKey(1, 2),
            new PairKey(1, 3),
            new PairKey(2, 3),
            new PairKey(1, 3),
            new PairKey(2, 3));
  }

  @Test
  void entries_expireAfterTheTtl_asASafetyNet() {
    tables.set(3, 7, new Relation(true, false, false));
    cache.relation(3, 7);

    nanos.addAndGet(Duration.ofSeconds(59).toNanos());
    cache.relation(3, 7);
    assertThat(cache.loads()).isEqualTo(1);

    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    tables.set(3, 7, new Relation(false, false, true));
    assertThat(cache.relation(3, 7).blocked()).isTrue();
    assertThat(cache.loads()).isEqualTo(2);
  }

  @Test
  void aFailedLoad_isNotCached_andTheNextAskTriesAgain() {
    tables.failNext = true;
    assertThatThrownBy(() -> cache.relation(3, 7)).isInstanceOf(StoreUnavailableException.class);

    tables.set(3, 7, new Relation(true, false, false));
    assertThat(cache.relation(3, 7).friends()).isTrue();
    assertThat(tables.loaded).hasSize(2);
  }

  @Test
  void blocked_meansEitherSideBlocked() {
    assertThat(new Relation(true, true, false).blocked()).isTrue();
    assertThat(new Relation(false, false, true).blocked()).isTrue();
    assertThat(new Relation(true, false, false).blocked()).isFalse();
    assertThat(Relation.STRANGERS.blocked()).isFalse();
    assertThat(Relation.STRANGERS.friends()).isFalse();
  }

  @Test
  void pairKey_putsTheSmallerIdFirst_andRefusesNonUsers() {
    assertThat(PairKey.of(9, 4)).isEqualTo(new PairKey(4, 9)).isEqualTo(PairKey.of(4, 9));
    assertThatThrownBy(() -> PairKey.of(0, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PairKey(9, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  /** The tables as a map, recording every load. */
  private static final class FakeTables implements RelationLoader {
    final Map<PairKey, Relation> relations = new HashMap<>();
    final List<PairKey> loaded = new ArrayList<>();
    boolean failNext;

    void set(long x, long y, Relation relation) {
      relations.put(PairKey.of(x, y), relation);
    }

    @Override
    public Relation load(PairKey pair) {
      loaded.add(pair);
      if (failNext) {
        failNext = false;
        throw new StoreUnavailableException("database unavailable", null);
      }
      return relations.getOrDefault(pair, Relation.STRANGERS);
    }
  }
}
