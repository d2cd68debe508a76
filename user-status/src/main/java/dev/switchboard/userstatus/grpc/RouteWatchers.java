package dev.switchboard.userstatus.grpc;

import dev.switchboard.proto.internal.RouteChanges;
import dev.switchboard.userstatus.store.RouteChangeFeed;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open WatchRoutes streams of this instance, fed by the {@link RouteChangeFeed}. A stream opens
 * only while the feed is live and fails UNAVAILABLE the moment the feed may have missed a change,
 * so a watcher never caches across a gap it was not told about. While the feed is healthy every
 * stream also gets an empty message per feed ping, so that a watcher can take a silent stream (a
 * partitioned or frozen instance) for dead.
 *
 * <p>A watcher that reads slower than changes come is not buffered without bound: once {@value
 * #MAX_UNREAD} messages wait in its stream, it is failed RESOURCE_EXHAUSTED (and resubscribes,
 * dropping its cache) instead of growing this instance's heap.
 */
public final class RouteWatchers implements RouteChangeFeed.Listener {
  private static final Logger log = LoggerFactory.getLogger(RouteWatchers.class);

  static final int MAX_UNREAD = 10_000;

  private static final RouteChanges LIVE = RouteChanges.getDefaultInstance();

  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final Counter changes;
  private boolean live;
  private boolean closed;

  public RouteWatchers(MeterRegistry registry) {
    Gauge.builder("userstatus.route.watchers", watchers, List::size)
        .description("open WatchRoutes streams")
        .register(registry);
    this.changes =
        Counter.builder("userstatus.route.changes")
            .description("user ids announced to route watchers")
            .register(registry);
  }

  /** Opens {@code stream} if the feed is live; otherwise fails it UNAVAILABLE. */
  synchronized void watch(ServerCallStreamObserver<RouteChanges> stream) {
    if (!live) {
      stream.onError(
          Status.UNAVAILABLE
              .withDescription("route changes are not followed right now")
              .asRuntimeException());
      return;
    }
    Watcher watcher = new Watcher(stream);
    stream.setOnCancelHandler(() -> watchers.remove(watcher));
    watchers.add(watcher);
    watcher.send(LIVE);
  }

  @Override
  public synchronized void live() {
    live = !closed;
  }

  /**
   * Sends the empty message to every watcher: a watcher that hears nothing for a few seconds takes
   * the stream for dead (a partitioned or frozen instance fails no stream by itself).
   */
  @Override
  public synchronized void alive() {
    if (live) {
      sendToAll(LIVE);
    }
  }

  @Override
  public synchronized void changed(List<Long> userIds) {
    changes.increment(userIds.size());
    sendToAll(RouteChanges.newBuilder().addAllUserIds(userIds).build());
  }

  private void sendToAll(RouteChanges message) {
    List<Watcher> behind = new ArrayList<>();
    for (Watcher watcher : watchers) {
      if (!watcher.send(message)) {
        behind.add(watcher);
      }
    }
    for (Watcher watcher : behind) {
      watchers.remove(watcher);
      log.warn("route watcher {} messages behind; its stream is ended", MAX_UNREAD);
      watcher.fail(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "more than " + MAX_UNREAD + " route changes unread"));
    }
  }

  @Override
  public synchronized void lost(String why) {
    live = false;
    Status status =
        Status.UNAVAILABLE.withDescription("route changes may have been missed: " + why);
    for (Watcher watcher : watchers) {
      watcher.fail(status);
    }
    watchers.clear();
  }

  /** Ends every stream, e.g. on shutdown. */
  public synchronized void closeAll() {
    closed = true;
    lost("user-status is shutting down");
  }

  private static final class Watcher {
    private final ServerCallStreamObserver<RouteChanges> stream;
    private int unread;

    Watcher(ServerCallStreamObserver<RouteChanges> stream) {
      this.stream = stream;
    }

    /** False if the watcher is too far behind to keep. */
    boolean send(RouteChanges message) {
      unread = stream.isReady() ? 0 : unread + 1;
      if (unread > MAX_UNREAD) {
        return false;
      }
      try {
        stream.onNext(message);
      } catch (RuntimeException e) {
        // Cancelled between the check and the send: the cancel handler removes it.
        log.debug("route change not sent: {}", e.toString());
      }
      return true;
    }

    void fail(Status status) {
      try {
        stream.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        log.debug("route watcher already closed: {}", e.toString());
      }
    }
  }
}
