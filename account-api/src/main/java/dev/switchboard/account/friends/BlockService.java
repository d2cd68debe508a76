package dev.switchboard.account.friends;

import dev.switchboard.account.db.Transactions;
import dev.switchboard.account.user.UserRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking: a block ends the friendship and closes the pending requests between the two, in the
 * same transaction, and hides the blocker from the blocked user's lookups. Both calls are
 * idempotent, and both invalidate transfer's cached policy every time, so repeating a call also
 * repairs an invalidation that an unreachable transfer instance missed.
 */
public final class BlockService {
  private static final Logger log = LoggerFactory.getLogger(BlockService.class);

  private final Transactions transactions;
  private final UserRepository users;
  private final BlockRepository blocks;
  private final FriendshipRepository friendships;
  private final FriendRequestRepository requests;
  private final RelationInvalidation invalidation;
  private final Clock clock;
  private final RelationMetrics metrics;

  public BlockService(
      Transactions transactions,
      UserRepository users,
      BlockRepository blocks,
      FriendshipRepository friendships,
      FriendRequestRepository requests,
      RelationInvalidation invalidation,
      Clock clock,
      MeterRegistry meters) {
    this.transactions = transactions;
    this.users = users;
    this.blocks = blocks;
    this.friendships = friendships;
    this.requests = requests;
    this.invalidation = invalidation;
    this.clock = clock;
    this.metrics = new RelationMetrics(meters);
  }

  /** {@code userId} blocks {@code blockedUserId}. */
  public RelationResult<Void> block(long userId, long blockedUserId) {
    if (userId == blockedUserId) {
      return RelationResult.refused(RelationError.BLOCK_SELF, "you cannot block yourself");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    RelationResult<Void> result =
        transactions.inTransaction(
            () -> {
              if (!users.lockPair(userId, blockedUserId).contains(blockedUserId)) {
                return RelationResult.<Void>refused(
                    RelationError.USER_NOT_FOUND, "no user with id " + blockedUserId);
              }
              blocks.insert(userId, blockedUserId, now);
              boolean unfriended = friendships.delete(userId, blockedUserId);
              int cancelled = requests.cancelPendingBetween(userId, blockedUserId, now);
              log.info(
                  "blocked user={} blocked={} unfriended={} cancelledRequests={}",
                  userId,
                  blockedUserId,
                  unfriended,
                  cancelled);
              return RelationResult.<Void>done(null);
            });
    if (result instanceof RelationResult.Done) {
      metrics.relationChanged("blocked");
      invalidation.relationChanged(userId, blockedUserId);
    }
    return result;
  }

  /** Lifts the block if there is one. */
  public void unblock(long userId, long blockedUserId) {
    if (userId == blockedUserId) {
      return;
    }
    boolean removed = blocks.delete(userId, blockedUserId);
    if (removed) {
      metrics.relationChanged("unblocked");
      log.info("unblocked user={} blocked={}", userId, blockedUserId);
    }
    invalidation.relationChanged(userId, blockedUserId);
  }

  public List<BlockedUser> blocked(long userId) {
    return blocks.blockedBy(userId);
  }
}
