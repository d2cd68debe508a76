package dev.switchboard.connector.route;

import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.connector.auth.RevocationList;
import dev.switchboard.proto.internal.CheckTokenRevokedRequest;
import dev.switchboard.proto.internal.CheckTokenRevokedResponse;
import dev.switchboard.proto.internal.OfflineRequest;
import dev.switchboard.proto.internal.OfflineResponse;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.OnlineResponse;
import dev.switchboard.proto.internal.RenewRequest;
import dev.switchboard.proto.internal.RenewResponse;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.UserStatusGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link PresenceRegistry} and {@link RevocationList} over gRPC to user-status. Every call is
 * idempotent (Online replaces the device's route with the same value, Offline is conditional on the
 * session id), so transport failures are retried on another instance.
 */
public final class UserStatusPresence implements PresenceRegistry, RevocationList {
  private final RetryingCall retrying;
  private final GrpcChannels channels;
  private final Duration deadline;

  public UserStatusPresence(RetryingCall retrying, GrpcChannels channels, Duration deadline) {
    this.retrying = retrying;
    this.channels = channels;
    this.deadline = deadline;
  }

  @Override
  public CompletableFuture<Boolean> isRevoked(String tokenId) {
    CheckTokenRevokedRequest request =
        CheckTokenRevokedRequest.newBuilder().setTokenId(tokenId).build();
    return retrying
        .<CheckTokenRevokedResponse>call(
            endpoint ->
                GrpcFutures.unary(observer -> stub(endpoint).checkTokenRevoked(request, observer)))
        .thenApply(CheckTokenRevokedResponse::getRevoked);
  }

  @Override
  public CompletableFuture<Registration> online(SessionRoute route) {
    OnlineRequest request = OnlineRequest.newBuilder().setSession(route).build();
    return retrying
        .<OnlineResponse>call(
            endpoint -> GrpcFutures.unary(observer -> stub(endpoint).online(request, observer)))
        .thenApply(
            response ->
                new Registration(
                    response.hasPrevious() ? Optional.of(response.getPrevious()) : Optional.empty(),
                    response.hasLiveSessions()
                        ? OptionalInt.of(response.getLiveSessions())
                        : OptionalInt.empty()));
  }

  @Override
  public CompletableFuture<Withdrawal> offline(SessionRoute route) {
    OfflineRequest request = OfflineRequest.newBuilder().setSession(route).build();
    return retrying
        .<OfflineResponse>call(
            endpoint -> GrpcFutures.unary(observer -> stub(endpoint).offline(request, observer)))
        .thenApply(
            response ->
                new Withdrawal(
                    response.getRemoved(),
                    response.hasLiveSessions()
                        ? OptionalInt.of(response.getLiveSessions())
                        : OptionalInt.empty()));
  }

  @Override
  public CompletableFuture<Integer> renew(String connectorId, List<SessionRoute> routes) {
    RenewRequest request =
        RenewRequest.newBuilder().setConnectorId(connectorId).addAllSessions(routes).build();
    return retrying
        .<RenewResponse>call(
            endpoint -> GrpcFutures.unary(observer -> stub(endpoint).renew(request, observer)))
        .thenApply(RenewResponse::getRenewed);
  }

  private UserStatusGrpc.UserStatusStub stub(ServiceEndpoint endpoint) {
    return UserStatusGrpc.newStub(channels.forEndpoint(endpoint))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }
}
