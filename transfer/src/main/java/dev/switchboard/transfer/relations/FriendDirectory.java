package dev.switchboard.transfer.relations;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Friend lists for presence notices, cached briefly: a user who reconnects a few times in a row
 * costs one query. Presence is best effort, so a list that is a few seconds old is fine; an
 * InvalidateRelations for a pair drops both users' lists anyway.
 */
public final class FriendDirectory {
  private final LongFunction<List<Long>> loader;
  private final Cache<Long, List<Long>> lists;

  public FriendDirectory(LongFunction<List<Long>> loader, int maxUsers, Duration ttl) {
    this.loader = loader;
    this.lists = Caffeine.newBuilder().maximumSize(maxUsers).expireAfterWrite(ttl).build();
  }

  /**
   * @throws dev.switchboard.transfer.db.StoreUnavailableException if the database is unreachable
   */
  public List<Long> friendsOf(long userId) {
    return lists.get(userId, id -> List.copyOf(loader.apply(id)));
  }

  public void invalidate(long userId) {
    lists.invalidate(userId);
  }
}
