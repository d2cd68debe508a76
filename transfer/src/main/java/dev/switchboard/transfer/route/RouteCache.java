package dev.switchboard.transfer.route;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.proto.internal.SessionRoute;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remembers where users are connected, so that a push needs no GetRoutes for users it saw recently,
 * and forgets a user the moment user-status announces a change to their routes ({@link RouteWatch}
 * feeds {@link #invalidate}). Used only while that feed is live: before {@link #live} and after
 * {@link #down}, every lookup goes to the source and nothing is kept, because changes may be
 * passing unannounced.
 *
 * <p>A lookup racing with an announcement must not store what it read before the change. So an
 * announcement leaves a tombstone stamped with a counter, every answer carries the stamp its lookup
 * started at, and a lookup stores its answer only over an entry no newer than its start (both under
 * the map's per-key lock): neither a tombstone nor the answer of a lookup that began after the
 * change is overwritten by one that began before it. Where the key holds nothing (its tombstone may
 * have been evicted), the answer is stored only if nothing at all was announced since the lookup
 * began. An entry lives at most {@code ttl}, and never past the earliest expiry of its routes,
 * which is when user-status stops returning a route whose connector stopped renewing it: expiry is
 * the one change that is not announced.
 *
 * <p>A stale entry can send a push to a connector that no longer holds the session, or miss a
 * device for a moment: the message is stored either way and reaches the device in its next sync.
 */
public final class RouteCache implements RouteSource {

  private sealed interface Entry permits Routes, Tombstone {
    /** The stamp the entry's information dates from. */
    long stamp();
  }

  /** What a lookup that started at {@code stamp} read. */
  private record Routes(List<SessionRoute> routes, long validUntilMs, long stamp)
      implements Entry {}

  private record Tombstone(long stamp) implements Entry {}

  private static final long DOWN = -1;

  private final RouteSource source;
  private final Clock clock;
  private final long ttlMs;
  private final Cache<Long, Entry> entries;
  private final AtomicLong stamps = new AtomicLong();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  // The stamp taken when the feed last went live, or DOWN.
  private volatile long liveSince = DOWN;

  /**
   * @param ttl the longest an answer is reused
   * @param maxUsers the most users remembered at once (least recently used go first)
   */
  public RouteCache(RouteSource source, Clock clock, Duration ttl, long maxUsers) {
    if (ttl.isNegative() || ttl.isZero() || maxUsers < 1) {
      throw new IllegalArgumentException("route cache needs a positive TTL and size");
    }
    this.source = source;
    this.clock = clock;
    this.ttlMs = ttl.toMillis();
    // Tombstones must outlive every lookup that started before them; expiring together with the
    // answers (ttl, far beyond a lookup's deadline) does that.
    this.entries = Caffeine.newBuilder().maximumSize(maxUsers).expireAfterWrite(ttl).build();
  }

  @Override
  public List<SessionRoute> routes(Collection<Long> userIds) throws RouteLookupException {
    long since = liveSince;
    if (since == DOWN) {
      misses.add(userIds.size());
      return source.routes(userIds);
    }
    long now = clock.millis();
    Map<Long, List<SessionRoute>> known = new HashMap<>();
    Set<Long> missing = new LinkedHashSet<>();
    for (Long userId : userIds) {
      if (known.containsKey(userId) || missing.contains(userId)) {
        continue;
      }
      if (entries.getIfPresent(userId) instanceof Routes cached && cached.validUntilMs() > now) {
        known.put(userId, cached.routes());
      } else {
        missing.add(userId);
      }
    }
    hits.add(known.size());
    if (!missing.isEmpty()) {
      misses.add(missing.size());
      long start = stamps.get();
      Map<Long, List<SessionRoute>> fetched = byUser(missing, source.routes(missing));
      known.putAll(fetched);
      fetched.forEach((userId, routes) -> store(userId, routes, since, start, now));
    }
    List<SessionRoute> routes = new ArrayList<>();
    for (Long userId : userIds) {
      List<SessionRoute> theirs = known.remove(userId);
      if (theirs != null) {
        routes.addAll(theirs);
      }
    }
    return routes;
  }

  private static Map<Long, List<SessionRoute>> byUser(Set<Long> userIds, List<SessionRoute> all) {
    Map<Long, List<SessionRoute>> byUser = new HashMap<>();
    for (Long userId : userIds) {
      byUser.put(userId, new ArrayList<>(1));
    }
    for (SessionRoute route : all) {
      List<SessionRoute> theirs = byUser.get(route.getUserId());
      if (theirs != null) {
        theirs.add(route);
      }
    }
    return byUser;
  }

  private void store(long userId, List<SessionRoute> routes, long since, long start, long now) {
    long validUntil = now + ttlMs;
    for (SessionRoute route : routes) {
      validUntil = Math.min(validUntil, route.getExpiresAtMs());
    }
    Routes fresh = new Routes(List.copyOf(routes), validUntil, start);
    entries
        .asMap()
        .compute(
            userId,
            (id, current) -> {
              boolean overtaken = current == null ? stamps.get() != start : current.stamp() > start;
              return overtaken || liveSince != since ? current : fresh;
            });
  }

  /** The routes of these users changed: drop what is known of them. */
  public void invalidate(Collection<Long> userIds) {
    for (Long userId : userIds) {
      Tombstone tombstone = new Tombstone(stamps.incrementAndGet());
      entries.asMap().compute(userId, (id, current) -> tombstone);
    }
    // Counted after the tombstones are in, so that whoever waits on the count sees their effect.
    invalidations.add(userIds.size());
  }

  /** The feed is live: every change from now on will be announced. */
  public void live() {
    entries.invalidateAll();
    liveSince = stamps.incrementAndGet();
  }

  /** The feed is gone: changes may pass unannounced, so nothing known can be trusted. */
  public void down() {
    liveSince = DOWN;
    stamps.incrementAndGet();
    entries.invalidateAll();
  }

  public boolean isLive() {
    return liveSince != DOWN;
  }

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  public long invalidations() {
    return invalidations.sum();
  }
}
