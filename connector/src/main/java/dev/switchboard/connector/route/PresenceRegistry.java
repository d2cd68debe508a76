package dev.switchboard.connector.route;

import dev.switchboard.proto.internal.SessionRoute;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where routes (user, device) → connector are kept (user-status). */
public interface PresenceRegistry {

  /** Registers the route; returns the route of the session it replaced, if any. */
  CompletableFuture<Optional<SessionRoute>> online(SessionRoute route);

  /** Removes the route if it still belongs to the same session; true if it was removed. */
  CompletableFuture<Boolean> offline(SessionRoute route);

  /** Renews (or re-creates) a batch of this connector's routes; returns how many were renewed. */
  CompletableFuture<Integer> renew(String connectorId, List<SessionRoute> routes);
}
