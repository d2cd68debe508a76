package dev.switchboard.userstatus;

import dev.switchboard.common.concurrent.DaemonThreads;
import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.Registration;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.common.metrics.MeterRegistries;
import dev.switchboard.common.metrics.MetricsEndpoint;
import dev.switchboard.userstatus.grpc.RouteWatchers;
import dev.switchboard.userstatus.grpc.RpcMetricsInterceptor;
import dev.switchboard.userstatus.grpc.UserStatusGrpcService;
import dev.switchboard.userstatus.store.RedisClientFactory;
import dev.switchboard.userstatus.store.RedisExecutor;
import dev.switchboard.userstatus.store.RedisKeys;
import dev.switchboard.userstatus.store.RevokedTokenStore;
import dev.switchboard.userstatus.store.RouteChangeFeed;
import dev.switchboard.userstatus.store.RouteStore;
import dev.switchboard.userstatus.store.StoreException;
import dev.switchboard.userstatus.tokens.TokenRevocations;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * Composition root of user-status: Redis client, route store, token revocations, the gRPC server,
 * metrics and the ZooKeeper registration, wired here and nowhere else.
 */
public final class UserStatusServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UserStatusServer.class);

  /** In-flight RPCs get this long to finish on close before they are cancelled. */
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private static final Duration ZK_CONNECT_TIMEOUT = Duration.ofSeconds(15);

  /** The route-change subscription is pinged this often, and retried this long after a failure. */
  private static final Duration FEED_PING = Duration.ofSeconds(1);

  private static final Duration FEED_RETRY = Duration.ofSeconds(1);

  private final UserStatusConfig config;
  private final Clock clock;
  private final AtomicLong onlineUsers = new AtomicLong();

  private PrometheusMeterRegistry registry;
  private RedisClient redisClient;
  private RouteStore routes;
  private RouteWatchers watchers;
  private RouteChangeFeed feed;
  private Server grpcServer;
  private ExecutorService handlers;
  private ScheduledExecutorService cleanup;
  private MetricsEndpoint metricsEndpoint;
  private CuratorFramework zk;
  private Discovery discovery;
  private Registration registration;
  private boolean started;
  private boolean closed;

  public UserStatusServer(UserStatusConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * @param clock source of "now" for route expiries and revocation TTLs (tests move it)
   */
  public UserStatusServer(UserStatusConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Connects to Redis (fails if it cannot be reached), binds the gRPC server, starts metrics and
   * registers in ZooKeeper; returns when the instance is ready and discoverable.
   */
  public synchronized void start() throws Exception {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    try {
      registry = MeterRegistries.prometheus(ServiceNames.USER_STATUS, config.instanceId());
      RedisExecutor redis = connectRedis();
      RedisKeys keys = RedisKeys.defaults();
      routes = new RouteStore(redis, keys, clock, config.sessionTtl());
      routes.loadScripts();
      TokenRevocations revocations =
          new TokenRevocations(new RevokedTokenStore(redis, keys), clock);

      watchers = new RouteWatchers(registry);
      feed =
          new RouteChangeFeed(
              () -> RedisClientFactory.subscriber(config.redisUrl(), config.redisTimeout()),
              keys.routeChanges(),
              FEED_PING,
              FEED_RETRY,
              watchers);
      feed.start();
      UserStatusGrpcService service =
          new UserStatusGrpcService(routes, revocations, watchers, registry);
      // Every handler blocks on one pooled Redis connection, so there are exactly as many handler
      // threads as connections: a burst (the login storm after a connector died) queues here
      // instead of parking thousands of gRPC's default threads on the pool until its wait runs out
      // and the logins fail UNAVAILABLE while Redis itself is idle.
      handlers =
          Executors.newFixedThreadPool(
              config.redisPoolSize(), DaemonThreads.named("user-status-grpc"));
      grpcServer =
          NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
              .executor(handlers)
              .addService(
                  ServerInterceptors.intercept(service, new RpcMetricsInterceptor(registry)))
              .build()
              .start();

      Gauge.builder("userstatus.online.users", onlineUsers, AtomicLong::get)
          .description("users with at least one live route (refreshed by the online cleanup)")
          .register(registry);
      cleanup =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "user-status-online-cleanup");
                thread.setDaemon(true);
                return thread;
              });
      long every = config.onlineCleanupInterval().toMillis();
      cleanup.scheduleWithFixedDelay(this::cleanupOnlineSet, 0, every, TimeUnit.MILLISECONDS);

      if (config.metricsPort() >= 0) {
        metricsEndpoint = MetricsEndpoint.start(registry, config.host(), config.metricsPort());
      }

      zk = ZooKeeperClients.connect(config.zkConnect(), ZK_CONNECT_TIMEOUT);
      discovery = new Discovery(zk);
      registration =
          discovery.register(
              new ServiceEndpoint(
                  ServiceNames.USER_STATUS,
                  config.instanceId(),
                  config.advertiseHost(),
                  port(),
                  Map.of("grpc", port())));
      log.info(
          "user-status {} serving gRPC on {}:{} (advertised {}), Redis {}, session TTL {}, metrics"
              + " port {}",
          config.instanceId(),
          config.host(),
          port(),
          config.advertiseHost(),
          redis.endpoint(),
          config.sessionTtl(),
          metricsPort());
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private RedisExecutor connectRedis() {
    redisClient =
        RedisClientFactory.create(config.redisUrl(), config.redisTimeout(), config.redisPoolSize());
    RedisExecutor redis =
        new RedisExecutor(redisClient, RedisClientFactory.endpoint(config.redisUrl()));
    try {
      redis.call("PING", client -> client.ping());
    } catch (StoreException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return redis;
  }

  /** Keeps the online set from growing with crashed connectors' users, refreshes the gauge. */
  private void cleanupOnlineSet() {
    try {
      long dropped = routes.purgeExpired();
      onlineUsers.set(routes.countOnline());
      if (dropped > 0) {
        log.debug("dropped {} users with only expired routes from the online set", dropped);
      }
    } catch (StoreException e) {
      // Also the one periodic trace of a Redis outage (calls failing meanwhile log at DEBUG).
      log.warn("online cleanup skipped: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("online cleanup failed", e);
    }
  }

  /** The bound gRPC port (the real one when configured as 0). */
  public int port() {
    if (grpcServer == null) {
      throw new IllegalStateException("not started");
    }
    return grpcServer.getPort();
  }

  /** The bound metrics port, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  public String instanceId() {
    return config.instanceId();
  }

  /** Blocks until the gRPC server has terminated (after {@link #close()}). */
  public void awaitTermination() throws InterruptedException {
    Server server;
    synchronized (this) {
      server = grpcServer;
    }
    if (server != null) {
      server.awaitTermination();
    }
  }

  /**
   * Deregisters first (so no new caller picks this instance), then drains the gRPC server for at
   * most {@link #SHUTDOWN_GRACE}, then releases Redis and ZooKeeper. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly("ZooKeeper registration", registration);
    // Watch streams never end by themselves: without this the drain below would wait them out.
    closeQuietly("route-change feed", feed);
    if (watchers != null) {
      watchers.closeAll();
    }
    if (grpcServer != null) {
      grpcServer.shutdown();
      try {
        if (!grpcServer.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("gRPC calls still running after {}, cancelling them", SHUTDOWN_GRACE);
          grpcServer.shutdownNow();
          grpcServer.awaitTermination(1, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        grpcServer.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (handlers != null) {
      handlers.shutdownNow();
    }
    if (cleanup != null) {
      cleanup.shutdownNow();
    }
    closeQuietly("metrics endpoint", metricsEndpoint);
    closeQuietly("Redis client", redisClient);
    closeQuietly("service discovery", discovery);
    closeQuietly("ZooKeeper client", zk);
    if (registry != null) {
      registry.close();
    }
    log.info("user-status {} stopped", config.instanceId());
  }

  private static void closeQuietly(String what, AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      log.warn("closing {} failed: {}", what, e.toString());
    }
  }
}
