package dev.switchboard.transfer.relations;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relation of each pair of users that exchanged messages lately, so that the message policy
 * costs no database round trip per message: one query per miss ({@link RelationLoader}).
 *
 * <p>Freshness: account-api calls InvalidateRelations on every transfer instance after each change
 * of a friendship or block and before it answers the REST call, so an unfriend or a block holds for
 * the very next message. The expiry ({@code ttl}) is only a safety net for an invalidation that
 * never arrived (an instance that was unreachable at that moment).
 *
 * <p>An invalidation racing with a load of the same pair cannot leave a stale entry behind:
 * Caffeine computes a missing entry under the entry's lock, so {@link #invalidate} waits for the
 * load and then removes what it produced; a load that starts after the invalidation reads the
 * committed change (READ COMMITTED).
 *
 * <p>A failed load (database unreachable) caches nothing; the next message tries again.
 */
public final class RelationCache {
  private final RelationLoader loader;
  private final Cache<PairKey, Relation> cache;
  private final AtomicLong loads = new AtomicLong();
  private final AtomicLong invalidations = new AtomicLong();

  public RelationCache(RelationLoader loader, int maxPairs, Duration ttl) {
    this(loader, maxPairs, ttl, Ticker.systemTicker());
  }

  RelationCache(RelationLoader loader, int maxPairs, Duration ttl, Ticker ticker) {
    this.loader = loader;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxPairs)
            .expireAfterWrite(ttl)
            .ticker(ticker)
            .recordStats()
            .build();
  }

  /** The relation of users {@code x} and {@code y} (in either order). */
  public Relation relation(long x, long y) {
    return cache.get(
        PairKey.of(x, y),
        pair -> {
          loads.incrementAndGet();
          return loader.load(pair);
        });
  }

  /** Forgets the given pairs; their next message reads the database again. */
  public void invalidate(Collection<PairKey> pairs) {
    cache.invalidateAll(pairs);
    invalidations.addAndGet(pairs.size());
  }

  /** How many times the database was asked (cache misses), for metrics and tests. */
  public long loads() {
    return loads.get();
  }

  /** How many pairs were invalidated so far. */
  public long invalidations() {
    return invalidations.get();
  }

  /** The underlying cache, for Micrometer's cache metrics (hits, misses, size). */
  public Cache<PairKey, Relation> cache() {
    return cache;
  }
}
