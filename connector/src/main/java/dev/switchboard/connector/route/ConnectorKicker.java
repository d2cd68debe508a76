package dev.switchboard.connector.route;

import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.internal.ConnectorGrpc;
import dev.switchboard.proto.internal.KickRequest;
import dev.switchboard.proto.internal.KickResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RemoteKicker} over gRPC: finds the connector by its id in ZooKeeper. A connector that is
 * no longer registered has lost its sessions already, so that counts as nothing to kick.
 */
public final class ConnectorKicker implements RemoteKicker {
  private static final Logger log = LoggerFactory.getLogger(ConnectorKicker.class);

  private final ServiceDirectory connectors;
  private final GrpcChannels channels;
  private final Duration deadline;

  public ConnectorKicker(ServiceDirectory connectors, GrpcChannels channels, Duration deadline) {
    this.connectors = connectors;
    this.channels = channels;
    this.deadline = deadline;
  }

  @Override
  public CompletableFuture<Integer> kick(String connectorId, KickRequest request) {
    Optional<ServiceEndpoint> endpoint = connectors.byId(connectorId);
    if (endpoint.isEmpty()) {
      log.debug(
          "connector {} is gone; nothing to kick for user={}", connectorId, request.getUserId());
      return CompletableFuture.completedFuture(0);
    }
    ConnectorGrpc.ConnectorStub stub =
        ConnectorGrpc.newStub(channels.forEndpoint(endpoint.get()))
            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    return GrpcFutures.<KickResponse>unary(observer -> stub.kick(request, observer))
        .thenApply(KickResponse::getKickedSessions);
  }
}
