package dev.switchboard.connector.testing;

import dev.switchboard.connector.auth.RevocationList;
import dev.switchboard.connector.route.PresenceRegistry;
import dev.switchboard.proto.internal.SessionRoute;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A user-status stand-in kept in memory: one route per (user, device), conditional offline, the
 * count of the user's live sessions in each answer (or none, like an older server), a revocation
 * list, and a switch that makes every call fail like an unreachable server.
 */
public final class InMemoryPresence implements PresenceRegistry, RevocationList {
  private final Map<String, SessionRoute> routes = new HashMap<>();
  private final Set<String> revoked = new HashSet<>();
  public final List<String> calls = new ArrayList<>();
  public final List<List<SessionRoute>> renewals = new ArrayList<>();
  private boolean unreachable;
  private boolean countsSessions = true;
  private CompletableFuture<Void> onlineGate = CompletableFuture.completedFuture(null);

  public synchronized void revoke(String tokenId) {
    revoked.add(tokenId);
  }

  public synchronized void setUnreachable(boolean unreachable) {
    this.unreachable = unreachable;
  }

  /** False: answers carry no count of live sessions, as from a user-status that predates it. */
  public synchronized void setCountsSessions(boolean countsSessions) {
    this.countsSessions = countsSessions;
  }

  /** Online answers only once the returned future is completed. */
  public synchronized CompletableFuture<Void> holdOnlineCalls() {
    onlineGate = new CompletableFuture<>();
    return onlineGate;
  }

  public synchronized void putRoute(SessionRoute route) {
    routes.put(key(route), route);
  }

  public synchronized Optional<SessionRoute> route(long userId, String deviceId) {
    return Optional.ofNullable(routes.get(userId + "/" + deviceId));
  }

  @Override
  public synchronized CompletableFuture<Boolean> isRevoked(String tokenId) {
    calls.add("isRevoked " + tokenId);
    if (unreachable) {
      return failed();
    }
    return CompletableFuture.completedFuture(revoked.contains(tokenId));
  }

  @Override
  public synchronized CompletableFuture<Registration> online(SessionRoute route) {
    calls.add("online " + route.getSessionId());
    if (unreachable) {
      return failed();
    }
    return onlineGate.thenApply(
        ignored -> {
          synchronized (this) {
            SessionRoute previous = routes.put(key(route), route);
            return new Registration(Optional.ofNullable(previous), live(route.getUserId()));
          }
        });
  }

  @Override
  public synchronized CompletableFuture<Withdrawal> offline(SessionRoute route) {
    calls.add("offline " + route.getSessionId());
    if (unreachable) {
      return failed();
    }
    SessionRoute current = routes.get(key(route));
    boolean removed = current != null && current.getSessionId().equals(route.getSessionId());
    if (removed) {
      routes.remove(key(route));
    }
    return CompletableFuture.completedFuture(new Withdrawal(removed, live(route.getUserId())));
  }

  private OptionalInt live(long userId) {
    if (!countsSessions) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(
        (int) routes.keySet().stream().filter(k -> k.startsWith(userId + "/")).count());
  }

  @Override
  public synchronized CompletableFuture<Integer> renew(
      String connectorId, List<SessionRoute> batch) {
    calls.add("renew " + batch.size());
    renewals.add(List.copyOf(batch));
    if (unreachable) {
      return failed();
    }
    batch.forEach(this::putRoute);
    return CompletableFuture.completedFuture(batch.size());
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  private static String key(SessionRoute route) {
    return route.getUserId() + "/" + route.getDeviceId();
  }

  private static <T> CompletableFuture<T> failed() {
    return CompletableFuture.failedFuture(
        Status.UNAVAILABLE.withDescription("user-status is down").asRuntimeException());
  }
}
