package dev.switchboard.account.grpc;

import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.internal.ConnectorGrpc;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.DeliverResponse;
import dev.switchboard.proto.internal.Delivery;
import dev.switchboard.proto.internal.KickRequest;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Calls to one connector chosen by id (the one user-status names for a session). */
public final class ConnectorClient {
  private final ServiceDirectory connectors;
  private final GrpcChannels channels;
  private final Duration deadline;

  public ConnectorClient(ServiceDirectory connectors, GrpcChannels channels, Duration deadline) {
    this.connectors = connectors;
    this.channels = channels;
    this.deadline = deadline;
  }

  /**
   * Ends the device's sessions on that connector.
   *
   * @return the number of sessions kicked, empty when the connector is no longer registered (its
   *     sessions died with it)
   * @throws DependencyUnavailableException when the connector is registered but does not answer
   */
  public Optional<Integer> kick(
      String connectorId, long userId, String deviceId, KickReason reason) {
    Optional<ServiceEndpoint> endpoint = connectors.byId(connectorId);
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    KickRequest request =
        KickRequest.newBuilder()
            .setUserId(userId)
            .setDeviceId(deviceId)
            .setReason(reason)
            .setMessage(
                "session ended by " + reason.name().toLowerCase(Locale.ROOT).replace('_', ' '))
            .build();
    try {
      return Optional.of(
          ConnectorGrpc.newBlockingStub(channels.forEndpoint(endpoint.get()))
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .kick(request)
              .getKickedSessions());
    } catch (StatusRuntimeException e) {
      throw new DependencyUnavailableException(
          ServiceNames.CONNECTOR,
          "connector " + connectorId + " Kick failed: " + e.getStatus().getCode(),
          e);
    }
  }

  /**
   * Writes frames to the matching sessions on that connector.
   *
   * @return the connector's answer (sessions written, users without a session there), empty when
   *     the connector is no longer registered
   * @throws DependencyUnavailableException when the connector is registered but does not answer
   */
  public Optional<DeliverResponse> deliver(String connectorId, List<Delivery> deliveries) {
    Optional<ServiceEndpoint> endpoint = connectors.byId(connectorId);
    if (endpoint.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          ConnectorGrpc.newBlockingStub(channels.forEndpoint(endpoint.get()))
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
              .deliver(DeliverRequest.newBuilder().addAllDeliveries(deliveries).build()));
    } catch (StatusRuntimeException e) {
      throw new DependencyUnavailableException(
          ServiceNames.CONNECTOR,
          "connector " + connectorId + " Deliver failed: " + e.getStatus().getCode(),
          e);
    }
  }
}
