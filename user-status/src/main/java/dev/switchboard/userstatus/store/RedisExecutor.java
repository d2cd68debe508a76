package dev.switchboard.userstatus.store;

import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Runs commands on the pooled Redis client and turns every Jedis failure into a {@link
 * StoreException} that names the operation and the server, so that the gRPC layer can answer
 * UNAVAILABLE instead of an empty result.
 */
public final class RedisExecutor {

  /** Error replies that mean "not now" rather than "never": the server is up but cannot serve. */
  private static final Set<String> TRANSIENT_ERRORS =
      Set.of(
          "LOADING",
          "BUSY",
          "READONLY",
          "MISCONF",
          "OOM",
          "MASTERDOWN",
          "TRYAGAIN",
          "CLUSTERDOWN",
          "NOREPLICAS");

  private final UnifiedJedis client;
  private final String endpoint;

  /**
   * @param endpoint how the server is named in error messages (host:port, never credentials)
   */
  public RedisExecutor(UnifiedJedis client, String endpoint) {
    this.client = Objects.requireNonNull(client, "client");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  public <T> T call(String operation, Function<UnifiedJedis, T> command) {
    try {
      return command.apply(client);
    } catch (JedisException e) {
      throw translate(operation, e);
    }
  }

  StoreException translate(String operation, JedisException e) {
    if (e instanceof JedisDataException && !isTransient(e.getMessage())) {
      return new StoreException(
          "Redis at " + endpoint + " failed " + operation + ": " + e.getMessage(), e, false);
    }
    String why =
        e instanceof JedisConnectionException ? "cannot reach Redis at " : "Redis unavailable at ";
    return new StoreException(why + endpoint + " (" + operation + "): " + e.getMessage(), e, true);
  }

  private static boolean isTransient(String message) {
    if (message == null) {
      return false;
    }
    int space = message.indexOf(' ');
    return TRANSIENT_ERRORS.contains(space < 0 ? message : message.substring(0, space));
  }

  public String endpoint() {
    return endpoint;
  }
}
