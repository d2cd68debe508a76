package dev.switchboard.account.session;

import java.time.Instant;

/** What a login ends in. Unknown user and wrong password are one outcome on purpose. */
public sealed interface LoginResult {

  record LoggedIn(long userId, String token, Instant expiresAt, ConnectorAddress connector)
      implements LoginResult {}

  record InvalidCredentials() implements LoginResult {}

  record NoConnectorAvailable() implements LoginResult {}
}
