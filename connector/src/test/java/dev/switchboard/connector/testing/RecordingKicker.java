package dev.switchboard.connector.testing;

import dev.switchboard.connector.route.RemoteKicker;
import dev.switchboard.proto.internal.KickRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Records the kicks a connector asks other connectors for. */
public final class RecordingKicker implements RemoteKicker {
  public record Kick(String connectorId, KickRequest request) {}

  public final List<Kick> kicks = new ArrayList<>();

  @Override
  public synchronized CompletableFuture<Integer> kick(String connectorId, KickRequest request) {
    kicks.add(new Kick(connectorId, request));
    return CompletableFuture.completedFuture(1);
  }
}
