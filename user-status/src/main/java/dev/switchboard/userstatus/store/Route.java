package dev.switchboard.userstatus.store;

import java.util.Objects;

/**
 * Where one session of a user lives: the connector holding the connection of {@code (userId,
 * deviceId)} and the id of that connection.
 *
 * @param expiresAtMs epoch milliseconds after which the route is dead unless renewed (0 in
 *     requests; set by user-status from its clock and the session TTL)
 */
public record Route(
    long userId, String deviceId, String connectorId, String sessionId, long expiresAtMs) {

  public Route {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(connectorId, "connectorId");
    Objects.requireNonNull(sessionId, "sessionId");
  }

  public Route withExpiry(long newExpiresAtMs) {
    return new Route(userId, deviceId, connectorId, sessionId, newExpiresAtMs);
  }

  public Route withConnector(String newConnectorId) {
    return new Route(userId, deviceId, newConnectorId, sessionId, expiresAtMs);
  }
}
