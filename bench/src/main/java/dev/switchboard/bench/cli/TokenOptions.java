package dev.switchboard.bench.cli;

import dev.switchboard.bench.setup.MintedTokens;
import dev.switchboard.bench.setup.RestTokens;
import dev.switchboard.bench.setup.TokenSource;
import dev.switchboard.bench.target.Target;
import dev.switchboard.client.rest.AccountApi;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How the connection scenarios get their tokens. */
public final class TokenOptions {
  @Option(
      names = "--rest-logins",
      description =
          "Get every device's token by a REST password login (one Argon2id check each, slow) even"
              + " when the signing secret is known.")
  boolean restLogins;

  TokenSource tokens(Target target) {
    if (restLogins || target.jwtSecret().isEmpty()) {
      return new RestTokens(new AccountApi(target.apiUrl(), Duration.ofSeconds(60)));
    }
    return new MintedTokens(target.jwtSecret().get());
  }
}
