package dev.switchboard.userstatus;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything user-status needs to run, read once at startup.
 *
 * @param redisUrl {@code IM_REDIS_URL}, {@code redis://host:port} (required)
 * @param zkConnect {@code IM_ZK_CONNECT}, ZooKeeper connect string (required)
 * @param host {@code IM_USER_STATUS_HOST}, address the gRPC server (and metrics) bind to
 * @param port {@code IM_USER_STATUS_PORT}, gRPC port, 0 = any free port
 * @param advertiseHost {@code IM_ADVERTISE_HOST}, host other services use to reach this instance
 * @param metricsPort {@code IM_METRICS_PORT}, Prometheus /metrics port, 0 = free port, -1 = off
 * @param sessionTtl {@code IM_SESSION_TTL}, how long a route lives without a renewal
 * @param instanceId {@code IM_INSTANCE_ID}, id in ZooKeeper
 * @param redisTimeout {@code IM_REDIS_TIMEOUT}, connect/read timeout towards Redis
 * @param redisPoolSize {@code IM_REDIS_POOL_SIZE}, most Redis connections at once
 * @param onlineCleanupInterval {@code IM_ONLINE_CLEANUP_INTERVAL}, how often users whose routes all
 *     expired are dropped from the online set (and the online-users gauge refreshed)
 */
public record UserStatusConfig(
    String redisUrl,
    String zkConnect,
    String host,
    int port,
    String advertiseHost,
    int metricsPort,
    Duration sessionTtl,
    String instanceId,
    Duration redisTimeout,
    int redisPoolSize,
    Duration onlineCleanupInterval) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  /**
   * Three missed heartbeats of a connector that renews every 30 s, so one lost renewal does not
   * drop routes.
   */
  public static final Duration DEFAULT_SESSION_TTL = Duration.ofSeconds(90);

  /**
   * Long enough for a busy Redis, short enough that callers see UNAVAILABLE within their deadline.
   */
  public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofSeconds(2);

  public static final int DEFAULT_REDIS_POOL_SIZE = 64;

  /** The online count filters expired users itself; the cleanup only bounds the set's size. */
  public static final Duration DEFAULT_ONLINE_CLEANUP_INTERVAL = Duration.ofSeconds(30);

  public UserStatusConfig {
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(zkConnect, "zkConnect");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(advertiseHost, "advertiseHost");
    Objects.requireNonNull(sessionTtl, "sessionTtl");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(redisTimeout, "redisTimeout");
    Objects.requireNonNull(onlineCleanupInterval, "onlineCleanupInterval");
    requirePort(port, 0, "port");
    requirePort(metricsPort, -1, "metricsPort");
    requirePositive(sessionTtl, "sessionTtl");
    requirePositive(redisTimeout, "redisTimeout");
    requirePositive(onlineCleanupInterval, "onlineCleanupInterval");
    if (redisPoolSize <= 0) {
      throw new IllegalArgumentException("redisPoolSize must be positive: " + redisPoolSize);
    }
  }

  /** Local-dev defaults for everything but the infrastructure addresses. */
  public static UserStatusConfig defaults(String redisUrl, String zkConnect) {
    return new UserStatusConfig(
        redisUrl,
        zkConnect,
        DEFAULT_HOST,
        0,
        DEFAULT_HOST,
        0,
        DEFAULT_SESSION_TTL,
        generatedInstanceId(),
        DEFAULT_REDIS_TIMEOUT,
        DEFAULT_REDIS_POOL_SIZE,
        DEFAULT_ONLINE_CLEANUP_INTERVAL);
  }

  public static UserStatusConfig fromEnv(Env env) {
    String redisUrl = redisUrl(env.require("IM_REDIS_URL"));
    String zkConnect = env.require("IM_ZK_CONNECT");
    int port = port(env, "IM_USER_STATUS_PORT", 0, 0);
    int metricsPort = port(env, "IM_METRICS_PORT", 0, -1);
    Duration sessionTtl = positive(env, "IM_SESSION_TTL", DEFAULT_SESSION_TTL);
    Duration redisTimeout = positive(env, "IM_REDIS_TIMEOUT", DEFAULT_REDIS_TIMEOUT);
    Duration cleanup = positive(env, "IM_ONLINE_CLEANUP_INTERVAL", DEFAULT_ONLINE_CLEANUP_INTERVAL);
    int poolSize = env.getInt("IM_REDIS_POOL_SIZE", DEFAULT_REDIS_POOL_SIZE);
    if (poolSize <= 0) {
      throw new ConfigException("IM_REDIS_POOL_SIZE must be positive, got " + poolSize);
    }
    return new UserStatusConfig(
        redisUrl,
        zkConnect,
        nonBlank(env, "IM_USER_STATUS_HOST", DEFAULT_HOST),
        port,
        nonBlank(env, "IM_ADVERTISE_HOST", DEFAULT_HOST),
        metricsPort,
        sessionTtl,
        nonBlank(env, "IM_INSTANCE_ID", generatedInstanceId()),
        redisTimeout,
        poolSize,
        cleanup);
  }

  private static String redisUrl(String value) {
    try {
      URI uri = new URI(value);
      boolean redisScheme = "redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme());
      if (!redisScheme || uri.getHost() == null || uri.getPort() <= 0) {
        throw new ConfigException(
            "IM_REDIS_URL must look like redis://host:port, got '" + value + "'");
      }
      return value;
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(
          "IM_REDIS_URL must look like redis://host:port, got '" + value + "'");
    }
  }

  private static int port(Env env, String name, int defaultValue, int min) {
    int value = env.getInt(name, defaultValue);
    if (value < min || value > 65535) {
      throw new ConfigException(name + " must be between " + min + " and 65535, got " + value);
    }
    return value;
  }

  private static Duration positive(Env env, String name, Duration defaultValue) {
    Duration value = env.getDuration(name, defaultValue);
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(name + " must be positive, got " + value);
    }
    return value;
  }

  private static String nonBlank(Env env, String name, String defaultValue) {
    String value = env.get(name, defaultValue);
    return value.isBlank() ? defaultValue : value.trim();
  }

  private static void requirePort(int value, int min, String name) {
    if (value < min || value > 65535) {
      throw new IllegalArgumentException(name + " must be between " + min + " and 65535: " + value);
    }
  }

  private static void requirePositive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  private static String generatedInstanceId() {
    return "user-status-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
