package dev.switchboard.connector.grpc;

import dev.switchboard.connector.session.LocalDelivery;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.internal.ConnectorGrpc;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.DeliverResponse;
import dev.switchboard.proto.internal.Delivery;
import dev.switchboard.proto.internal.KickRequest;
import dev.switchboard.proto.internal.KickResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The connector's gRPC side, a thin adapter over {@link LocalDelivery}: validates, delivers or
 * kicks, answers. Served with a direct executor, so the deliveries of one call are written in the
 * order transfer sent them; it only ever writes to channels, which never blocks.
 */
public final class ConnectorGrpcService extends ConnectorGrpc.ConnectorImplBase {
  private final LocalDelivery delivery;

  public ConnectorGrpcService(LocalDelivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public void deliver(DeliverRequest request, StreamObserver<DeliverResponse> response) {
    for (Delivery d : request.getDeliveriesList()) {
      if (d.getUserId() <= 0 || !d.hasFrame()) {
        response.onError(
            Status.INVALID_ARGUMENT
                .withDescription("every delivery needs a user_id and a frame")
                .asRuntimeException());
        return;
      }
    }
    LocalDelivery.Result result = delivery.deliver(request.getDeliveriesList());
    response.onNext(
        DeliverResponse.newBuilder()
            .setDeliveredSessions(result.deliveredSessions())
            .addAllMissingUserIds(result.missingUserIds())
            .build());
    response.onCompleted();
  }

  @Override
  public void kick(KickRequest request, StreamObserver<KickResponse> response) {
    if (request.getUserId() <= 0) {
      response.onError(
          Status.INVALID_ARGUMENT.withDescription("user_id is required").asRuntimeException());
      return;
    }
    // A reason newer than this connector's proto is passed on as unspecified.
    KickReason reason =
        request.getReason() == KickReason.UNRECOGNIZED
            ? KickReason.KICK_REASON_UNSPECIFIED
            : request.getReason();
    String message =
        request.getMessage().isEmpty() ? "the session was ended" : request.getMessage();
    int kicked =
        delivery.kick(
            request.getUserId(),
            request.getDeviceId(),
            request.getKeepSessionId(),
            reason,
            message);
    response.onNext(KickResponse.newBuilder().setKickedSessions(kicked).build());
    response.onCompleted();
  }
}
