package dev.switchboard.account.friends;

import dev.switchboard.account.db.Transactions;
import dev.switchboard.account.user.UserRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Friend requests: send (idempotent per pair; a crossed request accepts the other one), accept,
 * reject, cancel, list.
 *
 * <p>Every change locks both users rows first ({@link UserRepository#lockPair}): the checks that
 * follow (block, already friends, limits, the other side's pending request) and the writes see one
 * consistent state, and two people crossing, accepting or withdrawing requests at the same moment
 * are serialized. State changes of a request are still guarded by its state in the UPDATE itself
 * (never select-then-update). Side effects (cache invalidation in transfer, notices to devices) run
 * after the commit.
 */
public final class FriendRequestService {
  private static final Logger log = LoggerFactory.getLogger(FriendRequestService.class);

  /** Which side of the caller's pending requests to list. */
  public enum Direction {
    /** Requests to the caller. */
    IN,
    /** Requests the caller made. */
    OUT
  }

  private final Transactions transactions;
  private final UserRepository users;
  private final FriendRequestRepository requests;
  private final FriendshipRepository friendships;
  private final BlockRepository blocks;
  private final FriendLimits limits;
  private final RelationInvalidation invalidation;
  private final FriendNotifier notifier;
  private final Clock clock;
  private final RelationMetrics metrics;

  public FriendRequestService(
      Transactions transactions,
      UserRepository users,
      FriendRequestRepository requests,
      FriendshipRepository friendships,
      BlockRepository blocks,
      FriendLimits limits,
      RelationInvalidation invalidation,
      FriendNotifier notifier,
      Clock clock,
      MeterRegistry meters) {
    this.transactions = transactions;
    this.users = users;
    this.requests = requests;
    this.friendships = friendships;
    this.blocks = blocks;
    this.limits = limits;
    this.invalidation = invalidation;
    this.notifier = notifier;
    this.clock = clock;
    this.metrics = new RelationMetrics(meters);
  }

  /**
   * {@code fromUserId} asks {@code toUserId} to be friends. A second request to the same person
   * updates the first; a request to someone who already asked the caller accepts theirs.
   */
  public RelationResult<SentRequest> send(long fromUserId, long toUserId, String message) {
    if (fromUserId == toUserId) {
      return refused(RelationError.REQUEST_TO_SELF, "you cannot send a friend request to yourself");
    }
    String note = message == null || message.isBlank() ? null : message.strip();
    RelationResult<SentRequest> result =
        transactions.inTransaction(() -> sendLocked(fromUserId, toUserId, note));
    if (result instanceof RelationResult.Done<SentRequest> done) {
      SentRequest sent = done.value();
      if (sent.kind() == SentRequest.Kind.ACCEPTED) {
        afterAccepted(sent.request());
      } else {
        metrics.requestSent(sent.kind());
        log.info(
            "friend request {} id={} from={} to={}",
            sent.kind() == SentRequest.Kind.CREATED ? "created" : "updated",
            sent.request().id(),
            fromUserId,
            toUserId);
        notifier.requestSent(sent.request());
      }
    }
    return result;
  }

  private RelationResult<SentRequest> sendLocked(long fromUserId, long toUserId, String message) {
    Set<Long> existing = users.lockPair(fromUserId, toUserId);
    if (!existing.contains(toUserId)) {
      return refused(RelationError.USER_NOT_FOUND, "no user with id " + toUserId);
    }
    if (blocks.eitherBlocked(fromUserId, toUserId)) {
      return refused(RelationError.BLOCKED, "one of you has blocked the other");
    }
    if (friendships.areFriends(fromUserId, toUserId)) {
      return refused(RelationError.ALREADY_FRIENDS, "you are friends already");
    }
    Optional<FriendRequest> crossed =
        requests.findByPair(toUserId, fromUserId).filter(FriendRequest::isPending);
    if (crossed.isPresent()) {
      return acceptLocked(crossed.get())
          .map(accepted -> new SentRequest(accepted, SentRequest.Kind.ACCEPTED));
    }
    if (friendships.countFriends(fromUserId) >= limits.maxFriends()) {
      return refused(
          RelationError.FRIEND_LIMIT_REACHED,
          "you have reached the limit of " + limits.maxFriends() + " friends");
    }
    Optional<FriendRequest> previous = requests.findByPair(fromUserId, toUserId);
    // Updating a request that is pending already does not add to the pending count.
    boolean pendingAlready = previous.map(FriendRequest::isPending).orElse(false);
    if (!pendingAlready && requests.countPendingFrom(fromUserId) >= limits.maxPendingRequests()) {
      return refused(
          RelationError.PENDING_LIMIT_REACHED,
          "you have "
              + limits.maxPendingRequests()
              + " pending friend requests already; wait for answers or cancel some");
    }
    Instant now = now();
    if (previous.isPresent()) {
      return RelationResult.done(
          new SentRequest(requests.reopen(previous.get(), message, now), SentRequest.Kind.UPDATED));
    }
    return RelationResult.done(
        new SentRequest(
            requests.insertPending(fromUserId, toUserId, message, now), SentRequest.Kind.CREATED));
  }

  /** The recipient accepts: the request is ACCEPTED and the friendship exists, in one commit. */
  public RelationResult<FriendRequest> accept(long callerId, long requestId) {
    RelationResult<FriendRequest> result =
        transactions.inTransaction(
            () -> {
              Optional<FriendRequest> request = requests.find(requestId);
              RelationResult<FriendRequest> refusal = checkRecipient(request, callerId, requestId);
              if (refusal != null) {
                return refusal;
              }
              users.lockPair(request.get().fromUserId(), request.get().toUserId());
              // Read again under the lock: the state may have changed since the first read.
              FriendRequest current = requests.find(requestId).orElseThrow();
              if (!current.isPending()) {
                return notPending(current);
              }
              return acceptLocked(current);
            });
    if (result instanceof RelationResult.Done<FriendRequest> done) {
      afterAccepted(done.value());
    }
    return result;
  }

  /**
   * The recipient declines. The sender is not told (no notice): they see it only as not pending.
   */
  public RelationResult<FriendRequest> reject(long callerId, long requestId) {
    return close(callerId, requestId, FriendRequestStatus.REJECTED);
  }

  /** The sender withdraws the request. */
  public RelationResult<FriendRequest> cancel(long callerId, long requestId) {
    return close(callerId, requestId, FriendRequestStatus.CANCELLED);
  }

  /** The caller's pending requests, in or out, last changed first. */
  public List<FriendRequest> pending(long callerId, Direction direction, int limit) {
    return direction == Direction.IN
        ? requests.pendingTo(callerId, limit)
        : requests.pendingFrom(callerId, limit);
  }

  private RelationResult<FriendRequest> close(
      long callerId, long requestId, FriendRequestStatus next) {
    RelationResult<FriendRequest> result =
        transactions.inTransaction(
            () -> {
              Optional<FriendRequest> request = requests.find(requestId);
              RelationResult<FriendRequest> refusal =
                  next == FriendRequestStatus.CANCELLED
                      ? checkSender(request, callerId, requestId)
                      : checkRecipient(request, callerId, requestId);
              if (refusal != null) {
                return refusal;
              }
              // Serialized with the pair's other changes: a crossed request that is accepting
              // this one under the lock never finds it closed halfway.
              users.lockPair(request.get().fromUserId(), request.get().toUserId());
              Instant now = now();
              if (!requests.closePending(requestId, next, now)) {
                return notPending(requests.find(requestId).orElseThrow());
              }
              FriendRequest before = request.get();
              return RelationResult.done(
                  new FriendRequest(
                      before.id(),
                      before.fromUserId(),
                      before.toUserId(),
                      before.message(),
                      next,
                      before.createdAt(),
                      now));
            });
    if (result instanceof RelationResult.Done<FriendRequest> done) {
      metrics.requestClosed(next);
      log.info(
          "friend request {} id={} from={} to={}",
          next.name().toLowerCase(Locale.ROOT),
          requestId,
          done.value().fromUserId(),
          done.value().toUserId());
    }
    return result;
  }

  /**
   * Accepts a pending request while both users rows are locked: limits, then the guarded state
   * change, then both friendship rows.
   */
  private RelationResult<FriendRequest> acceptLocked(FriendRequest request) {
    long accepter = request.toUserId();
    long requester = request.fromUserId();
    if (friendships.countFriends(accepter) >= limits.maxFriends()) {
      return refused(
          RelationError.FRIEND_LIMIT_REACHED,
          "you have reached the limit of " + limits.maxFriends() + " friends");
    }
    if (friendships.countFriends(requester) >= limits.maxFriends()) {
      return refused(
          RelationError.FRIEND_LIMIT_REACHED,
          "user " + requester + " has reached the limit of " + limits.maxFriends() + " friends");
    }
    Instant now = now();
    if (!requests.closePending(request.id(), FriendRequestStatus.ACCEPTED, now)) {
      return notPending(requests.find(request.id()).orElseThrow());
    }
    friendships.insert(requester, accepter, now);
    return RelationResult.done(
        new FriendRequest(
            request.id(),
            requester,
            accepter,
            request.message(),
            FriendRequestStatus.ACCEPTED,
            request.createdAt(),
            now));
  }

  private void afterAccepted(FriendRequest accepted) {
    metrics.requestClosed(FriendRequestStatus.ACCEPTED);
    log.info(
        "friend request accepted id={} from={} to={}: friends now",
        accepted.id(),
        accepted.fromUserId(),
        accepted.toUserId());
    invalidation.relationChanged(accepted.fromUserId(), accepted.toUserId());
    notifier.requestAccepted(accepted);
  }

  private static RelationResult<FriendRequest> checkRecipient(
      Optional<FriendRequest> request, long callerId, long requestId) {
    if (request.isEmpty()) {
      return refused(RelationError.REQUEST_NOT_FOUND, "no friend request with id " + requestId);
    }
    if (request.get().toUserId() != callerId) {
      return refused(
          RelationError.NOT_YOUR_REQUEST,
          "only the recipient may accept or reject friend request " + requestId);
    }
    return null;
  }

  private static RelationResult<FriendRequest> checkSender(
      Optional<FriendRequest> request, long callerId, long requestId) {
    if (request.isEmpty()) {
      return refused(RelationError.REQUEST_NOT_FOUND, "no friend request with id " + requestId);
    }
    if (request.get().fromUserId() != callerId) {
      return refused(
          RelationError.NOT_YOUR_REQUEST, "only the sender may cancel friend request " + requestId);
    }
    return null;
  }

  private static <T> RelationResult<T> notPending(FriendRequest request) {
    return refused(
        RelationError.REQUEST_NOT_PENDING,
        "friend request "
            + request.id()
            + " is "
            + request.status().name().toLowerCase(Locale.ROOT)
            + ", not pending");
  }

  private static <T> RelationResult<T> refused(RelationError error, String detail) {
    return RelationResult.refused(error, detail);
  }

  /** Millisecond precision, as stored ({@code TIMESTAMP(3)}), so answers match later reads. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
