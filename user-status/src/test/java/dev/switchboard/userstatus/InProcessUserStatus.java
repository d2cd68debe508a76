package dev.switchboard.userstatus;

import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.UserStatusGrpc;
import dev.switchboard.userstatus.grpc.RouteWatchers;
import dev.switchboard.userstatus.grpc.RpcMetricsInterceptor;
import dev.switchboard.userstatus.grpc.UserStatusGrpcService;
import dev.switchboard.userstatus.store.RedisClientFactory;
import dev.switchboard.userstatus.store.RedisExecutor;
import dev.switchboard.userstatus.store.RedisKeys;
import dev.switchboard.userstatus.store.RevokedTokenStore;
import dev.switchboard.userstatus.store.RouteChangeFeed;
import dev.switchboard.userstatus.store.RouteStore;
import dev.switchboard.userstatus.tokens.TokenRevocations;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/**
 * The real UserStatus gRPC service over a real Redis, served in-process (directExecutor), so each
 * integration test only says which clock, TTL and key prefix it wants.
 */
public final class InProcessUserStatus implements AutoCloseable {

  public static final Duration TTL = Duration.ofSeconds(90);

  private final RedisClient redis;
  private final RedisKeys keys;
  private final RouteStore routes;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RouteChangeFeed feed;
  private final Server server;
  private final ManagedChannel channel;

  private InProcessUserStatus(
      String redisUrl, Clock clock, Duration ttl, RedisKeys keys, Duration redisTimeout)
      throws IOException {
    this.keys = keys;
    this.redis = RedisClientFactory.create(redisUrl, redisTimeout, 8);
    RedisExecutor executor = new RedisExecutor(redis, RedisClientFactory.endpoint(redisUrl));
    this.routes = new RouteStore(executor, keys, clock, ttl);
    TokenRevocations revocations =
        new TokenRevocations(new RevokedTokenStore(executor, keys), clock);
    RouteWatchers watchers = new RouteWatchers(registry);
    this.feed =
        new RouteChangeFeed(
            () -> RedisClientFactory.subscriber(redisUrl, redisTimeout),
            keys.routeChanges(),
            Duration.ofMillis(200),
            Duration.ofMillis(200),
            watchers);
    feed.start();
    UserStatusGrpcService service =
        new UserStatusGrpcService(routes, revocations, watchers, registry);
    String name = InProcessServerBuilder.generateName();
    this.server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(ServerInterceptors.intercept(service, new RpcMetricsInterceptor(registry)))
            .build()
            .start();
    this.channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  public static InProcessUserStatus start(String redisUrl, Clock clock, Duration ttl, String prefix)
      throws IOException {
    return new InProcessUserStatus(
        redisUrl, clock, ttl, new RedisKeys(prefix), Duration.ofSeconds(2));
  }

  /** With a short Redis timeout, for tests that stop Redis on purpose. */
  public static InProcessUserStatus startImpatient(String redisUrl, Clock clock)
      throws IOException {
    return new InProcessUserStatus(
        redisUrl, clock, TTL, new RedisKeys(RedisKeys.DEFAULT_PREFIX), Duration.ofMillis(500));
  }

  /** A stub with a fresh deadline: every call has one. */
  public UserStatusGrpc.UserStatusBlockingStub stub() {
    return UserStatusGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** An async stub, for the streaming call. */
  public UserStatusGrpc.UserStatusStub asyncStub() {
    return UserStatusGrpc.newStub(channel);
  }

  /** Direct Redis access, to look at or damage what the service stored. */
  public RedisClient redis() {
    return redis;
  }

  public RedisKeys keys() {
    return keys;
  }

  public RouteStore routes() {
    return routes;
  }

  public SimpleMeterRegistry registry() {
    return registry;
  }

  public static SessionRoute session(
      long userId, String deviceId, String connectorId, String sessionId) {
    return SessionRoute.newBuilder()
        .setUserId(userId)
        .setDeviceId(deviceId)
        .setConnectorId(connectorId)
        .setSessionId(sessionId)
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    feed.close();
    redis.close();
  }
}
