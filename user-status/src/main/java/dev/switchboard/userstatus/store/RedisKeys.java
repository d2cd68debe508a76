package dev.switchboard.userstatus.store;

import java.util.Objects;

/**
 * Every Redis key user-status reads or writes. Nothing else in the module builds a key.
 *
 * <p>Key shapes (with the default prefix {@code im:}):
 *
 * <ul>
 *   <li>{@code im:routes:<userId>} — hash, one field per device of the user: field = device id,
 *       value = {@code <connectorId>|<sessionId>|<expiresAtMs>} (see {@link RouteValue}). The key's
 *       PEXPIRE is the latest {@code expiresAtMs} of its fields, so the hash disappears by itself
 *       when every session of the user stopped renewing. A single field can outlive its own expiry
 *       while another device keeps the key alive: readers drop such fields and the scripts prune
 *       them whenever they touch the hash.
 *   <li>{@code im:online} — sorted set, member = user id, score = the user's latest route expiry
 *       (epoch ms). {@code ZCOUNT (now +inf} is the online count, {@code ZRANGEBYSCORE} pages the
 *       online list, and a periodic {@code ZREMRANGEBYSCORE -inf now} drops users whose routes all
 *       expired without an Offline.
 *   <li>{@code im:route-changes} — pub/sub channel, not a key: the route scripts publish the ids of
 *       the users whose routes they changed (comma-separated), atomically with the change.
 *   <li>{@code im:revoked:<tokenId>} — string {@code "1"} with PX = time left until the token would
 *       have expired anyway; EXISTS answers "is this token revoked".
 * </ul>
 *
 * <p>The route scripts touch a user's hash and the online set in one call, so the design assumes a
 * standalone Redis (or one shard); the prefix exists so that tests can isolate their data.
 */
public final class RedisKeys {

  /** The prefix every deployment uses. */
  public static final String DEFAULT_PREFIX = "im:";

  private final String prefix;

  public RedisKeys(String prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  public static RedisKeys defaults() {
    return new RedisKeys(DEFAULT_PREFIX);
  }

  /** Hash of the live sessions of one user, field = device id. */
  public String routes(long userId) {
    return prefix + "routes:" + userId;
  }

  /** Sorted set of online users scored by their latest route expiry. */
  public String online() {
    return prefix + "online";
  }

  /** Pub/sub channel of route changes (user ids, comma-separated). */
  public String routeChanges() {
    return prefix + "route-changes";
  }

  /** Marker of a revoked token id. */
  public String revokedToken(String tokenId) {
    return prefix + "revoked:" + tokenId;
  }

  public String prefix() {
    return prefix;
  }
}
