package dev.switchboard.transfer.route;

import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.UserStatusGrpc;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks user-status (any live instance, found through discovery) where users are connected. One
 * retry on another instance, because an instance that just died is still in the directory until its
 * ZooKeeper session expires.
 */
public final class RouteLookup implements RouteSource {
  private final ServiceDirectory userStatus;
  private final GrpcChannels channels;
  private final Duration timeout;

  public RouteLookup(ServiceDirectory userStatus, GrpcChannels channels, Duration timeout) {
    this.userStatus = userStatus;
    this.channels = channels;
    this.timeout = timeout;
  }

  @Override
  public List<SessionRoute> routes(Collection<Long> userIds) throws RouteLookupException {
    GetRoutesRequest request = GetRoutesRequest.newBuilder().addAllUserIds(userIds).build();
    Optional<ServiceEndpoint> first = userStatus.pick();
    if (first.isEmpty()) {
      throw new RouteLookupException("no user-status instance registered", null);
    }
    try {
      return call(first.get(), request);
    } catch (StatusRuntimeException firstFailure) {
      Optional<ServiceEndpoint> second = other(first.get());
      if (second.isEmpty()) {
        throw new RouteLookupException(
            "GetRoutes on " + first.get().id() + " failed: " + firstFailure.getStatus(),
            firstFailure);
      }
      try {
        return call(second.get(), request);
      } catch (StatusRuntimeException secondFailure) {
        secondFailure.addSuppressed(firstFailure);
        throw new RouteLookupException(
            "GetRoutes failed on "
                + first.get().id()
                + " and "
                + second.get().id()
                + ": "
                + secondFailure.getStatus(),
            secondFailure);
      }
    }
  }

  private List<SessionRoute> call(ServiceEndpoint endpoint, GetRoutesRequest request) {
    return UserStatusGrpc.newBlockingStub(channels.forEndpoint(endpoint))
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .getRoutes(request)
        .getRoutesList();
  }

  /** The next instance in round robin that is not {@code failed}, if there is one. */
  private Optional<ServiceEndpoint> other(ServiceEndpoint failed) {
    for (int i = 0; i < userStatus.all().size(); i++) {
      Optional<ServiceEndpoint> candidate = userStatus.pick();
      if (candidate.isPresent() && !candidate.get().id().equals(failed.id())) {
        return candidate;
      }
    }
    return Optional.empty();
  }
}
