package dev.switchboard.bench.setup;

import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.LoginSession;
import java.util.concurrent.CompletableFuture;

/** A REST password login per device: one Argon2id check each. */
public final class RestTokens implements TokenSource {
  private final AccountApi api;

  public RestTokens(AccountApi api) {
    this.api = api;
  }

  @Override
  public CompletableFuture<String> token(BenchAccount account, String deviceId) {
    return api.loginAsync(account.username(), account.password(), deviceId)
        .thenApply(LoginSession::token);
  }

  @Override
  public String describe() {
    return "REST password login per device";
  }
}
