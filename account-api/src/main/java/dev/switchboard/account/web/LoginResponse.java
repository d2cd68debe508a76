package dev.switchboard.account.web;

import dev.switchboard.account.session.ConnectorAddress;
import dev.switchboard.account.session.LoginResult;

/**
 * Answer of a login. {@code expiresAt} is an ISO-8601 string (not a number) by contract; {@code
 * connector.port} is the connector's client TCP port.
 */
public record LoginResponse(
    long userId, String token, String expiresAt, ConnectorAddress connector) {

  static LoginResponse of(LoginResult.LoggedIn loggedIn) {
    return new LoginResponse(
        loggedIn.userId(), loggedIn.token(), loggedIn.expiresAt().toString(), loggedIn.connector());
  }
}
