package dev.switchboard.userstatus.grpc;

import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.userstatus.store.Route;

/** Domain route to its proto shape. */
final class RouteMapping {

  private RouteMapping() {}

  static SessionRoute toProto(Route route) {
    return SessionRoute.newBuilder()
        .setUserId(route.userId())
        .setDeviceId(route.deviceId())
        .setConnectorId(route.connectorId())
        .setSessionId(route.sessionId())
        .setExpiresAtMs(route.expiresAtMs())
        .build();
  }
}
