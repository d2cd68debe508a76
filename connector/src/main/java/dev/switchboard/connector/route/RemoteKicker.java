package dev.switchboard.connector.route;

import dev.switchboard.proto.internal.KickRequest;
import java.util.concurrent.CompletableFuture;

/** Ends sessions held by another connector. */
public interface RemoteKicker {

  /** Returns how many sessions the other connector kicked (0 if it is gone). */
  CompletableFuture<Integer> kick(String connectorId, KickRequest request);
}
