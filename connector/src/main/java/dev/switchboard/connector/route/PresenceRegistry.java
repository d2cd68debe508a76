package dev.switchboard.connector.route;

import dev.switchboard.proto.internal.SessionRoute;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** Where routes (user, device) → connector are kept (user-status). */
public interface PresenceRegistry {

  /**
   * @param previous the route of the session this one replaced, if any
   * @param liveSessions the user's live sessions right after, this one included, counted with the
   *     registration (empty from a user-status that does not count)
   */
  record Registration(Optional<SessionRoute> previous, OptionalInt liveSessions) {}

  /**
   * @param removed the route still belonged to the session and was removed
   * @param liveSessions the user's live sessions right after, counted with the removal (empty from
   *     a user-status that does not count)
   */
  record Withdrawal(boolean removed, OptionalInt liveSessions) {}

  /** Registers the route, replacing what the device had. */
  CompletableFuture<Registration> online(SessionRoute route);

  /** Removes the route if it still belongs to the same session. */
  CompletableFuture<Withdrawal> offline(SessionRoute route);

  /** Renews (or re-creates) a batch of this connector's routes; returns how many were renewed. */
  CompletableFuture<Integer> renew(String connectorId, List<SessionRoute> routes);
}
