package dev.switchboard.userstatus.store;

import java.util.Optional;

/**
 * Encoding of one route in the user's hash: {@code <connectorId>|<sessionId>|<expiresAtMs>}.
 *
 * <p>A flat string instead of JSON or protobuf because the Lua scripts must read the session id and
 * the expiry without a decoder. Connector and session ids therefore may not contain {@code |}
 * (enforced by the gRPC validation); the device id is the hash field and may hold anything.
 */
public final class RouteValue {

  static final char SEPARATOR = '|';

  private RouteValue() {}

  public static String encode(String connectorId, String sessionId, long expiresAtMs) {
    if (connectorId.indexOf(SEPARATOR) >= 0 || sessionId.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("connector and session ids may not contain '|'");
    }
    return connectorId + SEPARATOR + sessionId + SEPARATOR + expiresAtMs;
  }

  /**
   * Parses a stored value into the route of {@code (userId, deviceId)}; empty if the value is not
   * in the expected shape (never written by this code, so it is skipped rather than trusted).
   */
  public static Optional<Route> decode(long userId, String deviceId, String value) {
    if (value == null) {
      return Optional.empty();
    }
    int first = value.indexOf(SEPARATOR);
    int second = first < 0 ? -1 : value.indexOf(SEPARATOR, first + 1);
    if (first <= 0 || second <= first + 1 || value.indexOf(SEPARATOR, second + 1) >= 0) {
      return Optional.empty();
    }
    long expiresAtMs;
    try {
      expiresAtMs = Long.parseLong(value.substring(second + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(
        new Route(
            userId,
            deviceId,
            value.substring(0, first),
            value.substring(first + 1, second),
            expiresAtMs));
  }
}
