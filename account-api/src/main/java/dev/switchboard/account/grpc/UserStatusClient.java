package dev.switchboard.account.grpc;

import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.internal.CheckTokenRevokedRequest;
import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.ListOnlineRequest;
import dev.switchboard.proto.internal.ListOnlineResponse;
import dev.switchboard.proto.internal.RevokeTokenRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.UserStatusGrpc;
import dev.switchboard.proto.internal.UserStatusGrpc.UserStatusBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The calls account-api makes to user-status. Instances come from discovery; a call that finds an
 * instance unavailable is tried once more on the next one (round robin), since user-status is
 * stateless in front of Redis. Every call has a deadline.
 */
public final class UserStatusClient {
  private final ServiceDirectory instances;
  private final GrpcChannels channels;
  private final Duration deadline;

  public UserStatusClient(ServiceDirectory instances, GrpcChannels channels, Duration deadline) {
    this.instances = instances;
    this.channels = channels;
    this.deadline = deadline;
  }

  /** Marks the token id revoked until it would have expired anyway. */
  public void revokeToken(String tokenId, Instant expiresAt) {
    call(
        "RevokeToken",
        stub ->
            stub.revokeToken(
                RevokeTokenRequest.newBuilder()
                    .setTokenId(tokenId)
                    .setExpiresAtMs(expiresAt.toEpochMilli())
                    .build()));
  }

  public boolean isTokenRevoked(String tokenId) {
    return call(
        "CheckTokenRevoked",
        stub ->
            stub.checkTokenRevoked(
                    CheckTokenRevokedRequest.newBuilder().setTokenId(tokenId).build())
                .getRevoked());
  }

  /** The live sessions of these users. */
  public List<SessionRoute> routes(Collection<Long> userIds) {
    return call(
        "GetRoutes",
        stub ->
            stub.getRoutes(GetRoutesRequest.newBuilder().addAllUserIds(userIds).build())
                .getRoutesList());
  }

  /** One page of online user ids; an empty {@code cursor} starts at the beginning. */
  public ListOnlineResponse listOnline(int limit, String cursor) {
    return call(
        "ListOnline",
        stub ->
            stub.listOnline(
                ListOnlineRequest.newBuilder().setLimit(limit).setCursor(cursor).build()));
  }

  private <T> T call(String method, Function<UserStatusBlockingStub, T> rpc) {
    int attempts = Math.max(1, Math.min(2, instances.all().size()));
    StatusRuntimeException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      ServiceEndpoint endpoint =
          instances
              .pick()
              .orElseThrow(
                  () ->
                      new DependencyUnavailableException(
                          ServiceNames.USER_STATUS, "no user-status instance is registered", null));
      UserStatusBlockingStub stub =
          UserStatusGrpc.newBlockingStub(channels.forEndpoint(endpoint))
              .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
      try {
        return rpc.apply(stub);
      } catch (StatusRuntimeException e) {
        last = e;
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          break;
        }
      }
    }
    throw new DependencyUnavailableException(
        ServiceNames.USER_STATUS,
        "user-status " + method + " failed: " + last.getStatus().getCode(),
        last);
  }
}
