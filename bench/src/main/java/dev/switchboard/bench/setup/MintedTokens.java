package dev.switchboard.bench.setup;

import dev.switchboard.common.auth.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Tokens signed with the deployment's secret by the same {@link TokenService} account-api uses: the
 * same claims (issuer, subject, a fresh token id, device, expiry), so the connector verifies them
 * and asks user-status about revocation exactly as for a REST login. Only the password check is
 * skipped, which is account-api's cost and not part of a connector login.
 */
public final class MintedTokens implements TokenSource {
  private static final Duration TTL = Duration.ofHours(2);

  private final TokenService tokens;

  public MintedTokens(byte[] secret) {
    this.tokens = new TokenService(secret, Clock.systemUTC());
  }

  @Override
  public CompletableFuture<String> token(BenchAccount account, String deviceId) {
    return CompletableFuture.completedFuture(tokens.issue(account.userId(), deviceId, TTL).token());
  }

  @Override
  public String describe() {
    return "minted with the deployment's signing secret";
  }
}
