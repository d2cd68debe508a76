package dev.switchboard.userstatus.store;

import java.util.Objects;
import redis.clients.jedis.params.SetParams;

/** Revoked token ids in Redis ({@link RedisKeys#revokedToken}). */
public final class RevokedTokenStore {

  private final RedisExecutor redis;
  private final RedisKeys keys;

  public RevokedTokenStore(RedisExecutor redis, RedisKeys keys) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /** Marks the token revoked for {@code ttlMs}; a later revocation overwrites the TTL. */
  public void revoke(String tokenId, long ttlMs) {
    if (ttlMs <= 0) {
      throw new IllegalArgumentException("ttlMs must be positive: " + ttlMs);
    }
    redis.call(
        "SET revoked token",
        client -> client.set(keys.revokedToken(tokenId), "1", SetParams.setParams().px(ttlMs)));
  }

  public boolean isRevoked(String tokenId) {
    return redis.call("EXISTS revoked token", client -> client.exists(keys.revokedToken(tokenId)));
  }
}
