package dev.switchboard.account.friends;

import dev.switchboard.account.db.Transactions;
import dev.switchboard.account.grpc.UserStatusClient;
import dev.switchboard.proto.internal.SessionRoute;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The friend list (with presence) and unfriending. */
public final class FriendshipService {
  private static final Logger log = LoggerFactory.getLogger(FriendshipService.class);

  private final Transactions transactions;
  private final FriendshipRepository friendships;
  private final UserStatusClient userStatus;
  private final RelationInvalidation invalidation;
  private final RelationMetrics metrics;

  public FriendshipService(
      Transactions transactions,
      FriendshipRepository friendships,
      UserStatusClient userStatus,
      RelationInvalidation invalidation,
      MeterRegistry meters) {
    this.transactions = transactions;
    this.friendships = friendships;
    this.userStatus = userStatus;
    this.invalidation = invalidation;
    this.metrics = new RelationMetrics(meters);
  }

  /**
   * The caller's friends by username, each with an online flag from one user-status call for all of
   * them (the list is bounded by the friend limit).
   *
   * @throws dev.switchboard.account.grpc.DependencyUnavailableException user-status did not answer
   */
  public List<Friend> friends(long userId) {
    List<FriendshipRepository.FriendRow> rows = friendships.friendsOf(userId);
    if (rows.isEmpty()) {
      return List.of();
    }
    Set<Long> online = new HashSet<>();
    for (SessionRoute route :
        userStatus.routes(rows.stream().map(row -> row.profile().userId()).toList())) {
      online.add(route.getUserId());
    }
    return rows.stream()
        .map(row -> new Friend(row.profile(), online.contains(row.profile().userId()), row.since()))
        .toList();
  }

  /** Ends the friendship (both rows); refused with NOT_FRIENDS when there was none. */
  public RelationResult<Void> unfriend(long userId, long friendId) {
    boolean deleted = transactions.inTransaction(() -> friendships.delete(userId, friendId));
    if (!deleted) {
      return RelationResult.refused(
          RelationError.NOT_FRIENDS, "you are not friends with user " + friendId);
    }
    metrics.relationChanged("unfriended");
    log.info("unfriended user={} friend={}", userId, friendId);
    invalidation.relationChanged(userId, friendId);
    return RelationResult.done(null);
  }
}
