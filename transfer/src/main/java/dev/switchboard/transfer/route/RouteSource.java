package dev.switchboard.transfer.route;

import dev.switchboard.proto.internal.SessionRoute;
import java.util.Collection;
import java.util.List;

/** Where users are connected; {@link RouteLookup} asks user-status. */
@FunctionalInterface
public interface RouteSource {
  List<SessionRoute> routes(Collection<Long> userIds) throws RouteLookupException;
}
