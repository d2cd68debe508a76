package dev.switchboard.account.notice;

import dev.switchboard.account.friends.FriendNotifier;
import dev.switchboard.account.friends.FriendRequest;
import dev.switchboard.account.grpc.ConnectorClient;
import dev.switchboard.account.grpc.DependencyUnavailableException;
import dev.switchboard.account.grpc.UserStatusClient;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
import dev.switchboard.proto.internal.DeliverResponse;
import dev.switchboard.proto.internal.Delivery;
import dev.switchboard.proto.internal.SessionRoute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes {@link Notice} frames to every connected device of a user: user-status names the user's
 * sessions, then each connector that holds one gets one {@code Deliver} for the user (an empty
 * device id reaches every device of the user on that connector).
 *
 * <p>Off the request thread, on a small bounded pool: a notice is best effort (not stored; a device
 * that misses it reads the state over REST), so the REST call neither waits for connectors nor
 * fails because of them. When the queue is full, notices are dropped and counted rather than
 * slowing down the API. Outcomes are counted in {@code account.notices{type,outcome}}.
 */
public final class NoticeSender implements FriendNotifier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NoticeSender.class);

  /** Two workers: one slow connector (up to the deadline) does not hold up every other notice. */
  private static final int WORKERS = 2;

  /**
   * Notices waiting beyond this many are dropped: a backlog this long means connectors are down.
   */
  private static final int QUEUE_CAPACITY = 1_000;

  private final UserStatusClient userStatus;
  private final ConnectorClient connectors;
  private final Clock clock;
  private final MeterRegistry meters;
  private final ThreadPoolExecutor pool;

  public NoticeSender(
      UserStatusClient userStatus, ConnectorClient connectors, Clock clock, MeterRegistry meters) {
    this.userStatus = userStatus;
    this.connectors = connectors;
    this.clock = clock;
    this.meters = meters;
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY),
            task -> {
              Thread thread = new Thread(task, "account-notices-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  @Override
  public void requestSent(FriendRequest request) {
    Notice.Builder notice =
        Notice.newBuilder()
            .setType(NoticeType.FRIEND_REQUEST)
            .setFromUserId(request.fromUserId())
            .setFriendRequestId(request.id());
    if (request.message() != null) {
      notice.setText(request.message());
    }
    send(request.toUserId(), notice);
  }

  @Override
  public void requestAccepted(FriendRequest request) {
    send(
        request.fromUserId(),
        Notice.newBuilder()
            .setType(NoticeType.FRIEND_ACCEPTED)
            .setFromUserId(request.toUserId())
            .setFriendRequestId(request.id()));
  }

  private void send(long userId, Notice.Builder notice) {
    Frame frame = Frame.newBuilder().setNotice(notice.setAtMs(clock.millis())).build();
    String type = notice.getType().name().toLowerCase(Locale.ROOT);
    try {
      pool.execute(() -> deliver(userId, frame, type));
    } catch (RejectedExecutionException e) {
      count(type, "dropped");
      log.warn("notice {} to user={} dropped: the notice queue is full or closed", type, userId);
    }
  }

  private void deliver(long userId, Frame frame, String type) {
    List<SessionRoute> routes;
    try {
      routes = userStatus.routes(List.of(userId));
    } catch (DependencyUnavailableException e) {
      count(type, "failed");
      log.warn("notice {} to user={} not sent: {}", type, userId, e.getMessage());
      return;
    }
    Set<String> connectorIds = new LinkedHashSet<>();
    for (SessionRoute route : routes) {
      if (route.getUserId() == userId) {
        connectorIds.add(route.getConnectorId());
      }
    }
    if (connectorIds.isEmpty()) {
      count(type, "offline");
      log.debug("notice {} to user={}: no session", type, userId);
      return;
    }
    Delivery delivery = Delivery.newBuilder().setUserId(userId).setFrame(frame).build();
    int sessions = 0;
    boolean failed = false;
    for (String connectorId : connectorIds) {
      try {
        Optional<DeliverResponse> response = connectors.deliver(connectorId, List.of(delivery));
        sessions += response.map(DeliverResponse::getDeliveredSessions).orElse(0);
      } catch (DependencyUnavailableException e) {
        failed = true;
        count(type, "failed");
        log.warn("notice {} to user={}: {}", type, userId, e.getMessage());
      }
    }
    if (sessions > 0) {
      count(type, "delivered");
    } else if (!failed) {
      count(type, "offline");
    }
    log.debug("notice {} to user={} written to {} session(s)", type, userId, sessions);
  }

  private void count(String type, String outcome) {
    Counter.builder("account.notices")
        .description("Notices pushed to devices, by type and outcome")
        .tag("type", type)
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }

  /** Lets queued notices go out for a moment, then drops the rest. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("notice sender stopped with {} notice(s) undelivered", pool.shutdownNow().size());
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
