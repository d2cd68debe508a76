package dev.switchboard.userstatus.store;

import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/** Builds the pooled Jedis 7 client ({@link RedisClient}, the successor of JedisPooled). */
public final class RedisClientFactory {

  /** How often idle pooled connections are checked with a PING. */
  private static final Duration IDLE_CHECK_INTERVAL = Duration.ofSeconds(1);

  private RedisClientFactory() {}

  /**
   * @param url {@code redis://[user:password@]host:port[/db]}
   * @param timeout connect and read timeout, and the longest wait for a free pooled connection: a
   *     dead Redis must turn into an error quickly, not into a hanging RPC
   * @param poolSize most connections open at once (gRPC handlers run concurrently)
   */
  public static RedisClient create(String url, Duration timeout, int poolSize) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(poolSize);
    pool.setMaxIdle(poolSize);
    pool.setMinIdle(0);
    pool.setMaxWait(timeout);
    // Not tested on borrow: that PING doubled the round trips of every call (a login storm spent
    // 40% of user-status's handler time in it). Jedis's pool config already tests every idle
    // connection in the background; run that every second instead of every 30, so those a Redis
    // restart broke are gone within a second or so. A broken one borrowed before that fails its
    // call as UNAVAILABLE, which callers retry, and is not reused.
    pool.setTimeBetweenEvictionRuns(IDLE_CHECK_INTERVAL);
    return RedisClient.builder()
        .clientConfig(clientConfig(timeout, "user-status"))
        .poolConfig(pool)
        .fromURI(url)
        .build();
  }

  /**
   * A connection of its own for a pub/sub subscription, which holds it for as long as it runs (a
   * pooled one would be taken from the handlers for good).
   */
  public static Jedis subscriber(String url, Duration timeout) {
    return new Jedis(URI.create(url), clientConfig(timeout, "user-status-route-feed"));
  }

  private static DefaultJedisClientConfig clientConfig(Duration timeout, String clientName) {
    int timeoutMs = Math.toIntExact(timeout.toMillis());
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeoutMs)
        .socketTimeoutMillis(timeoutMs)
        .clientName(clientName)
        .build();
  }

  /** {@code host:port} of the URL, for messages: never the credentials. */
  public static String endpoint(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + uri.getPort();
  }
}
