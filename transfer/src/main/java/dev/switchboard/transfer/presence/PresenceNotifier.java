package dev.switchboard.transfer.presence;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.transfer.ops.TransferMetrics;
import dev.switchboard.transfer.relations.FriendDirectory;
import dev.switchboard.transfer.route.PushDispatcher;
import dev.switchboard.transfer.route.Recipient;
import dev.switchboard.transfer.route.RouteLookup;
import dev.switchboard.transfer.route.RouteLookupException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a user's friends when the user as a whole came online or went offline: only the first
 * session to start (the user has exactly one live route now) or the last one to end (no live route
 * left) becomes a Notice {PRESENCE} to every connected device of each friend.
 *
 * <p>Connectors report only such transitions, decided from user-status's count of the user's routes
 * taken atomically with the Online or Offline (PublishPresence with {@code transition}), so of two
 * devices that start at once exactly one is announced. A connector talking to a user-status that
 * does not count reports every session start and end; then the decision is taken here, on the
 * caller's thread, with one GetRoutes, and two devices that start within the same moment may both
 * see two routes and announce nothing.
 *
 * <p>The friend list and the pushes run in the user's push lane, in order. Best effort: nothing is
 * stored (a client that was offline reads presence over REST), failures are counted and logged,
 * never thrown.
 */
public final class PresenceNotifier {
  private static final Logger log = LoggerFactory.getLogger(PresenceNotifier.class);

  private final RouteLookup routes;
  private final FriendDirectory friends;
  private final PushDispatcher push;
  private final TransferMetrics metrics;
  private final Clock clock;
  private final RateLimitedLog failures = new RateLimitedLog(log, 10_000);

  public PresenceNotifier(
      RouteLookup routes,
      FriendDirectory friends,
      PushDispatcher push,
      TransferMetrics metrics,
      Clock clock) {
    this.routes = routes;
    this.friends = friends;
    this.push = push;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Decides whether the session change of {@code userId} is a change of the user's presence and, if
   * so, queues the notices to its friends. Never throws.
   *
   * <p>The routes are read here, on the caller's thread, so the decision reflects user-status right
   * after the connector's Online or Offline call (reading them later, in the lane, could see the
   * result of a later session change and announce it twice). Friends and pushes run in the user's
   * push lane, so the notices of one user go out in the order they were decided.
   *
   * @param transition the connector already knows from user-status's count that this is a change of
   *     the user's presence: it is announced without reading the routes (nothing blocks)
   */
  public void publish(long userId, String deviceId, boolean online, boolean transition) {
    metrics.presencePublished();
    long atMs = clock.millis();
    if (transition) {
      push.execute("presence:" + userId, () -> announce(userId, online, atMs));
      return;
    }
    int live;
    try {
      live = liveRoutes(routes.routes(List.of(userId)), userId);
    } catch (RouteLookupException e) {
      metrics.pushFailure();
      failures.warn("presence of user {}: route lookup failed: {}", userId, e.getMessage());
      return;
    } catch (RuntimeException e) {
      metrics.pushFailure();
      failures.warn("presence of user {}: route lookup failed: {}", userId, e.toString());
      return;
    }
    if (!isTransition(online, live)) {
      log.debug(
          "user {} device {} {}: {} live sessions, no notice",
          userId,
          deviceId,
          online ? "online" : "offline",
          live);
      return;
    }
    push.execute("presence:" + userId, () -> announce(userId, online, atMs));
  }

  private void announce(long userId, boolean online, long atMs) {
    try {
      List<Long> friendIds = friends.friendsOf(userId);
      if (friendIds.isEmpty()) {
        return;
      }
      metrics.presenceAnnounced();
      log.debug(
          "user {} is {}; telling {} friends",
          userId,
          online ? "online" : "offline",
          friendIds.size());
      push.pushNow(
          "presence of " + userId,
          friendIds.stream().map(Recipient::allDevices).toList(),
          notice(userId, online, atMs));
    } catch (RuntimeException e) {
      metrics.pushFailure();
      failures.warn("presence of user {} failed: {}", userId, e.toString());
    }
  }

  /**
   * Whether a session change is a change of the user's presence: the session that started is the
   * only one, or the session that ended was the last one.
   */
  static boolean isTransition(boolean online, int liveRoutes) {
    return online ? liveRoutes == 1 : liveRoutes == 0;
  }

  static int liveRoutes(List<SessionRoute> found, long userId) {
    return (int) found.stream().filter(r -> r.getUserId() == userId).count();
  }

  static Frame notice(long userId, boolean online, long atMs) {
    return Frame.newBuilder()
        .setNotice(
            Notice.newBuilder()
                .setType(NoticeType.PRESENCE)
                .setFromUserId(userId)
                .setOnline(online)
                .setAtMs(atMs))
        .build();
  }
}
