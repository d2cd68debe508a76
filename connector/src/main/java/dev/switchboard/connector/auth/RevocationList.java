package dev.switchboard.connector.auth;

import java.util.concurrent.CompletableFuture;

/**
 * Where revoked tokens are listed (user-status). A failed future means "cannot tell", which login
 * treats as a refusal: a revoked token must never get in because the list was unreachable.
 */
public interface RevocationList {
  CompletableFuture<Boolean> isRevoked(String tokenId);
}
