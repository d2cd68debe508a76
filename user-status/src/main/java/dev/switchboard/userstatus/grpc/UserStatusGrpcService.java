package dev.switchboard.userstatus.grpc;

import dev.switchboard.proto.internal.CheckTokenRevokedRequest;
import dev.switchboard.proto.internal.CheckTokenRevokedResponse;
import dev.switchboard.proto.internal.CountOnlineRequest;
import dev.switchboard.proto.internal.CountOnlineResponse;
import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.GetRoutesResponse;
import dev.switchboard.proto.internal.ListOnlineRequest;
import dev.switchboard.proto.internal.ListOnlineResponse;
import dev.switchboard.proto.internal.OfflineRequest;
import dev.switchboard.proto.internal.OfflineResponse;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.OnlineResponse;
import dev.switchboard.proto.internal.RenewRequest;
import dev.switchboard.proto.internal.RenewResponse;
import dev.switchboard.proto.internal.RevokeTokenRequest;
import dev.switchboard.proto.internal.RevokeTokenResponse;
import dev.switchboard.proto.internal.RouteChanges;
import dev.switchboard.proto.internal.UserStatusGrpc;
import dev.switchboard.proto.internal.WatchRoutesRequest;
import dev.switchboard.userstatus.store.OfflineResult;
import dev.switchboard.userstatus.store.OnlineCursor;
import dev.switchboard.userstatus.store.OnlinePage;
import dev.switchboard.userstatus.store.OnlineResult;
import dev.switchboard.userstatus.store.Route;
import dev.switchboard.userstatus.store.RouteStore;
import dev.switchboard.userstatus.tokens.TokenRevocations;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UserStatus gRPC service: validates each request, calls the route store or the token
 * revocations, and maps the result. No Redis here; timings per RPC come from {@link
 * RpcMetricsInterceptor}.
 */
public final class UserStatusGrpcService extends UserStatusGrpc.UserStatusImplBase {

  private static final Logger log = LoggerFactory.getLogger(UserStatusGrpcService.class);

  private final RouteStore routes;
  private final TokenRevocations revocations;
  private final RouteWatchers watchers;
  private final RequestValidator validator = new RequestValidator();
  private final Counter sessionsOnline;
  private final Counter sessionsReplaced;
  private final Counter sessionsOffline;
  private final Counter sessionsRenewed;
  private final Counter tokensRevoked;

  public UserStatusGrpcService(
      RouteStore routes,
      TokenRevocations revocations,
      RouteWatchers watchers,
      MeterRegistry registry) {
    this.routes = Objects.requireNonNull(routes, "routes");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.watchers = Objects.requireNonNull(watchers, "watchers");
    this.sessionsOnline = sessions(registry, "online", "sessions registered");
    this.sessionsReplaced = sessions(registry, "replaced", "registrations replacing a session");
    this.sessionsOffline = sessions(registry, "offline", "sessions removed");
    this.sessionsRenewed = sessions(registry, "renewed", "sessions renewed");
    this.tokensRevoked =
        Counter.builder("userstatus.tokens.revoked")
            .description("token ids marked revoked")
            .register(registry);
  }

  private static Counter sessions(MeterRegistry registry, String event, String description) {
    return Counter.builder("userstatus.sessions")
        .tag("event", event)
        .description(description)
        .register(registry);
  }

  @Override
  public void online(OnlineRequest request, StreamObserver<OnlineResponse> response) {
    respond(
        "Online",
        response,
        () -> {
          Route session = validator.onlineSession(request.hasSession(), request.getSession());
          OnlineResult result = routes.online(session);
          sessionsOnline.increment();
          OnlineResponse.Builder answer =
              OnlineResponse.newBuilder()
                  .setReplaced(result.replaced())
                  .setLiveSessions(result.liveSessions());
          result
              .previous()
              .ifPresent(previous -> answer.setPrevious(RouteMapping.toProto(previous)));
          if (result.replaced()) {
            sessionsReplaced.increment();
            log.debug(
                "user {} device {}: session {} on {} replaces {} on {}",
                session.userId(),
                session.deviceId(),
                session.sessionId(),
                session.connectorId(),
                result.previous().get().sessionId(),
                result.previous().get().connectorId());
          }
          return answer.build();
        });
  }

  @Override
  public void offline(OfflineRequest request, StreamObserver<OfflineResponse> response) {
    respond(
        "Offline",
        response,
        () -> {
          Route session = validator.offlineSession(request.hasSession(), request.getSession());
          OfflineResult result =
              routes.offline(session.userId(), session.deviceId(), session.sessionId());
          if (result.removed()) {
            sessionsOffline.increment();
          }
          return OfflineResponse.newBuilder()
              .setRemoved(result.removed())
              .setLiveSessions(result.liveSessions())
              .build();
        });
  }

  @Override
  public void renew(RenewRequest request, StreamObserver<RenewResponse> response) {
    respond(
        "Renew",
        response,
        () -> {
          List<Route> sessions = validator.renewSessions(request);
          int renewed = routes.renew(request.getConnectorId(), sessions);
          sessionsRenewed.increment(renewed);
          return RenewResponse.newBuilder().setRenewed(renewed).build();
        });
  }

  @Override
  public void getRoutes(GetRoutesRequest request, StreamObserver<GetRoutesResponse> response) {
    respond(
        "GetRoutes",
        response,
        () -> {
          List<Route> found = routes.routes(validator.userIds(request));
          GetRoutesResponse.Builder answer = GetRoutesResponse.newBuilder();
          found.forEach(route -> answer.addRoutes(RouteMapping.toProto(route)));
          return answer.build();
        });
  }

  @Override
  public void countOnline(
      CountOnlineRequest request, StreamObserver<CountOnlineResponse> response) {
    respond(
        "CountOnline",
        response,
        () -> CountOnlineResponse.newBuilder().setUsers(routes.countOnline()).build());
  }

  @Override
  public void listOnline(ListOnlineRequest request, StreamObserver<ListOnlineResponse> response) {
    respond(
        "ListOnline",
        response,
        () -> {
          int limit = validator.listLimit(request);
          OnlineCursor cursor = validator.listCursor(request);
          OnlinePage page = routes.listOnline(limit, cursor);
          return ListOnlineResponse.newBuilder()
              .addAllUserIds(page.userIds())
              .setNextCursor(page.next().map(OnlineCursor::encode).orElse(""))
              .build();
        });
  }

  @Override
  public void revokeToken(
      RevokeTokenRequest request, StreamObserver<RevokeTokenResponse> response) {
    respond(
        "RevokeToken",
        response,
        () -> {
          String tokenId = validator.tokenId(request.getTokenId());
          long expiresAtMs = validator.tokenExpiry(request.getExpiresAtMs());
          if (revocations.revoke(tokenId, expiresAtMs)) {
            tokensRevoked.increment();
          }
          return RevokeTokenResponse.getDefaultInstance();
        });
  }

  @Override
  public void checkTokenRevoked(
      CheckTokenRevokedRequest request, StreamObserver<CheckTokenRevokedResponse> response) {
    respond(
        "CheckTokenRevoked",
        response,
        () -> {
          String tokenId = validator.tokenId(request.getTokenId());
          return CheckTokenRevokedResponse.newBuilder()
              .setRevoked(revocations.isRevoked(tokenId))
              .build();
        });
  }

  @Override
  public void watchRoutes(WatchRoutesRequest request, StreamObserver<RouteChanges> response) {
    watchers.watch((ServerCallStreamObserver<RouteChanges>) response);
  }

  /** Runs one unary call: a value, or exactly one error status, never an empty answer. */
  private static <T> void respond(String rpc, StreamObserver<T> response, Supplier<T> call) {
    T value;
    try {
      value = call.get();
    } catch (RuntimeException e) {
      response.onError(GrpcErrors.toStatus(rpc, e).asRuntimeException());
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }
}
