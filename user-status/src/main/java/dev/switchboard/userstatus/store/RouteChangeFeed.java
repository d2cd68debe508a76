package dev.switchboard.userstatus.store;

import dev.switchboard.common.concurrent.DaemonThreads;
import dev.switchboard.common.logging.RateLimitedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Follows the route-change channel ({@link RedisKeys#routeChanges()}) on a connection of its own
 * and hands every change to a {@link Listener}.
 *
 * <p>Redis pub/sub delivers at most once: whatever is published while the subscription is down is
 * gone. So the listener hears {@link Listener#lost} as soon as the subscription may have missed a
 * message, and {@link Listener#live} only once a new subscription is confirmed; everything derived
 * from the changes in between must be thrown away. Jedis reads a subscription without a timeout, so
 * a link that dies silently would never fail by itself: the feed pings every {@code pingEvery} and
 * drops the connection when neither a pong nor a message came for three of those.
 */
public final class RouteChangeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouteChangeFeed.class);

  /** What the feed tells, from its own threads. */
  public interface Listener {
    /** Subscribed: from now on every change is announced. */
    void live();

    /** The routes of these users changed. */
    void changed(List<Long> userIds);

    /** Changes may have been missed since {@link #live}; {@code why} is for logs. */
    void lost(String why);

    /** The subscription was heard from within the last three pings: it is still live. */
    void alive();
  }

  private final Supplier<Jedis> connect;
  private final String channel;
  private final Duration pingEvery;
  private final Duration retryEvery;
  private final Listener listener;
  private final RateLimitedLog failures = new RateLimitedLog(log, 30_000);
  // A subscription holds its thread for as long as it runs; pings and retries need another.
  private final ExecutorService subscriber =
      Executors.newSingleThreadExecutor(DaemonThreads.named("user-status-route-feed"));
  private final ScheduledExecutorService pinger =
      Executors.newSingleThreadScheduledExecutor(
          DaemonThreads.named("user-status-route-feed-ping"));
  private volatile boolean closed;
  private volatile Subscription current;

  /**
   * @param connect opens a new connection for one subscription (the feed closes it)
   * @param pingEvery how often a live subscription is pinged; three silent periods drop it
   * @param retryEvery the wait before subscribing again after a failure
   */
  public RouteChangeFeed(
      Supplier<Jedis> connect,
      String channel,
      Duration pingEvery,
      Duration retryEvery,
      Listener listener) {
    this.connect = Objects.requireNonNull(connect, "connect");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.pingEvery = pingEvery;
    this.retryEvery = retryEvery;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  public void start() {
    subscriber.execute(this::subscribe);
    long every = pingEvery.toMillis();
    pinger.scheduleWithFixedDelay(this::ping, every, every, TimeUnit.MILLISECONDS);
  }

  /** One subscription, from connect until it ends; then the next is scheduled. */
  private void subscribe() {
    if (closed) {
      return;
    }
    String why = "unsubscribed";
    Subscription subscription = null;
    try (Jedis jedis = connect.get()) {
      subscription = new Subscription(jedis);
      current = subscription;
      if (!closed) {
        jedis.subscribe(subscription, channel);
      }
    } catch (RuntimeException e) {
      // Whatever ended it (a Jedis error, or a listener that threw), the subscription is gone.
      why = e.toString();
    } finally {
      current = null;
    }
    if (subscription != null && subscription.wasLive) {
      listener.lost(why);
    }
    if (closed) {
      return;
    }
    failures.warn(
        "route-change subscription to {} ended ({}); subscribing again every {} ms",
        channel,
        why,
        retryEvery.toMillis());
    try {
      pinger.schedule(
          () -> subscriber.execute(this::subscribe), retryEvery.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("route-change subscription not retried: the feed is closing");
    }
  }

  private void ping() {
    Subscription subscription = current;
    if (subscription == null) {
      return;
    }
    // Timed from the connect, so that a SUBSCRIBE that is never answered is dropped too.
    long silentMs = nowMs() - subscription.heardAtMs;
    if (silentMs > 3 * pingEvery.toMillis()) {
      log.warn("route-change subscription silent for {} ms; dropping it", silentMs);
      subscription.jedis.disconnect();
      return;
    }
    if (!subscription.isSubscribed()) {
      return;
    }
    try {
      subscription.ping();
      listener.alive();
    } catch (RuntimeException e) {
      subscription.jedis.disconnect();
    }
  }

  private static long nowMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  /** Parses {@code "12,13"}; empty if any part is not a user id. */
  static List<Long> parse(String message) {
    List<Long> ids = new ArrayList<>();
    for (String part : message.split(",", -1)) {
      try {
        ids.add(Long.parseLong(part));
      } catch (NumberFormatException e) {
        return List.of();
      }
    }
    return ids;
  }

  @Override
  public void close() {
    closed = true;
    pinger.shutdownNow();
    Subscription subscription = current;
    if (subscription != null) {
      subscription.jedis.disconnect();
    }
    subscriber.shutdownNow();
    try {
      subscriber.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Subscription extends JedisPubSub {
    final Jedis jedis;
    volatile long heardAtMs = nowMs();
    boolean wasLive;

    Subscription(Jedis jedis) {
      this.jedis = jedis;
    }

    @Override
    public void onSubscribe(String subscribed, int count) {
      heardAtMs = nowMs();
      wasLive = true;
      log.info("route changes followed on {}", subscribed);
      listener.live();
    }

    @Override
    public void onMessage(String from, String message) {
      heardAtMs = nowMs();
      List<Long> ids = parse(message);
      if (ids.isEmpty()) {
        // Someone else wrote to the channel: which routes changed is unknown, so what was
        // derived from it cannot be trusted either.
        log.warn(
            "unreadable route-change message {} on {}",
            message.substring(0, Math.min(message.length(), 100)),
            from);
        listener.lost("unreadable route-change message");
        listener.live();
        return;
      }
      listener.changed(ids);
    }

    @Override
    public void onPong(String pattern) {
      heardAtMs = nowMs();
    }
  }
}
