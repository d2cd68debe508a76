package dev.switchboard.userstatus.tokens;

import dev.switchboard.userstatus.store.RevokedTokenStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Revoked tokens (logout). A revocation only has to last until the token would have expired anyway:
 * after that, signature verification rejects it by itself, so the marker gets exactly that much
 * time to live and the set of revoked ids stays as small as the set of live tokens.
 */
public final class TokenRevocations {

  private final RevokedTokenStore store;
  private final Clock clock;

  public TokenRevocations(RevokedTokenStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Revokes {@code tokenId} until {@code expiresAtMs}.
   *
   * @return false if the token has already expired (nothing to store)
   */
  public boolean revoke(String tokenId, long expiresAtMs) {
    long ttlMs = expiresAtMs - clock.millis();
    if (ttlMs <= 0) {
      return false;
    }
    store.revoke(tokenId, ttlMs);
    return true;
  }

  public boolean isRevoked(String tokenId) {
    return store.isRevoked(tokenId);
  }
}
