package dev.switchboard.client.rest;

import java.time.Instant;

/**
 * The answer of {@code POST /api/v1/sessions}: who logged in, the bearer token for REST calls and
 * the connector login, and the connector to connect to.
 */
public record LoginSession(
    long userId, String token, Instant expiresAt, ConnectorAddress connector) {

  /** Never prints the token: sessions end up in logs. */
  @Override
  public String toString() {
    return "LoginSession[userId="
        + userId
        + ", token=***, expiresAt="
        + expiresAt
        + ", connector="
        + connector
        + "]";
  }
}
