package dev.switchboard.connector.route;

import dev.switchboard.connector.session.Session;
import dev.switchboard.connector.session.SessionTable;
import dev.switchboard.proto.internal.SessionRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this connector's routes alive in user-status: every interval, ONE Renew call carrying all
 * local sessions (split only to keep each request well under gRPC's message size limit).
 *
 * <p>Rejected alternatives: renewing on every client Ping costs one Redis write per ping and
 * connection (100k connections pinging every 30 s = 3.3k writes/s for nothing); a timer per session
 * costs memory and wake-ups per connection. A batch per connector is one write per interval, and a
 * crashed connector's routes expire on their own because nobody renews them.
 */
public final class RouteRenewer implements AutoCloseable {
  /** About 60 bytes per route: 2,000 routes is ~120 KB per request, far below 4 MB. */
  static final int MAX_ROUTES_PER_CALL = 2_000;

  private static final Logger log = LoggerFactory.getLogger(RouteRenewer.class);

  private final String connectorId;
  private final SessionTable sessions;
  private final PresenceRegistry presence;
  private final AtomicBoolean running = new AtomicBoolean();
  private ScheduledFuture<?> schedule;

  public RouteRenewer(String connectorId, SessionTable sessions, PresenceRegistry presence) {
    this.connectorId = connectorId;
    this.sessions = sessions;
    this.presence = presence;
  }

  public synchronized void start(ScheduledExecutorService scheduler, Duration interval) {
    long ms = interval.toMillis();
    schedule = scheduler.scheduleAtFixedRate(this::renewQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Renews every open session now; skipped while the previous round is still in flight. Completes
   * with the number of routes user-status renewed.
   */
  public CompletableFuture<Integer> renewNow() {
    if (!running.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(0);
    }
    List<SessionRoute> routes = new ArrayList<>();
    for (Session session : sessions.all()) {
      if (session.isOpen()) {
        routes.add(session.route());
      }
    }
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int from = 0; from < routes.size(); from += MAX_ROUTES_PER_CALL) {
      List<SessionRoute> batch =
          routes.subList(from, Math.min(routes.size(), from + MAX_ROUTES_PER_CALL));
      calls.add(call(List.copyOf(batch)));
    }
    CompletableFuture<Integer> total = CompletableFuture.completedFuture(0);
    for (CompletableFuture<Integer> call : calls) {
      total = total.thenCombine(call, Integer::sum);
    }
    return total.whenComplete(
        (renewed, failure) -> {
          running.set(false);
          if (failure != null) {
            log.warn(
                "renewing {} routes of connector={} failed: {}",
                routes.size(),
                connectorId,
                RetryingCall.unwrap(failure).toString());
          } else {
            log.debug("renewed {} of {} routes", renewed, routes.size());
          }
        });
  }

  /** A scheduled task that throws is never run again, so nothing may escape. */
  private void renewQuietly() {
    try {
      renewNow();
    } catch (RuntimeException e) {
      log.warn("route renewal round failed", e);
    }
  }

  private CompletableFuture<Integer> call(List<SessionRoute> batch) {
    try {
      return presence.renew(connectorId, batch);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public synchronized void close() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }
}
