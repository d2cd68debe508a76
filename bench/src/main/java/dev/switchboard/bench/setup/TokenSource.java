package dev.switchboard.bench.setup;

import java.util.concurrent.CompletableFuture;

/**
 * Where connection scenarios get a login token for (user, device). Either minted with the
 * deployment's signing secret ({@link MintedTokens}: exactly what account-api would issue, without
 * its Argon2 password check per device) or by a REST password login per device ({@link RestTokens}:
 * honest for any deployment, but slow at scale).
 */
public interface TokenSource {
  CompletableFuture<String> token(BenchAccount account, String deviceId);

  /** For the report. */
  String describe();
}
