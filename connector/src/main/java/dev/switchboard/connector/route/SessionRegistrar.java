package dev.switchboard.connector.route;

import dev.switchboard.connector.session.Session;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.internal.KickRequest;
import dev.switchboard.proto.internal.SessionRoute;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes and withdraws the routes of this connector's sessions in user-status, ends the session
 * a login replaced on another connector, and reports session starts and ends to transfer for
 * presence notices ({@link PresencePublisher}).
 *
 * <p>A start is reported only after its Online call succeeded and did not replace a session of the
 * same device (a re-login changes nothing for the friends); an end only when its Offline call
 * actually removed the session's route and no newer login of the device took over (here or
 * elsewhere), and never for a session whose route was not registered.
 *
 * <p>And only when it changes the user's presence: user-status counts the user's live sessions in
 * the same atomic step as the registration or removal, so a start is reported when it is the only
 * session (of two devices logging in at once, exactly one sees that) and an end when none is left.
 * Transfer then announces it without looking at the routes again. A user-status that does not count
 * leaves the decision to transfer, as before.
 */
public final class SessionRegistrar {
  private static final Logger log = LoggerFactory.getLogger(SessionRegistrar.class);

  private final String connectorId;
  private final PresenceRegistry presence;
  private final RemoteKicker kicker;
  private final PresencePublisher publisher;
  private final Set<CompletableFuture<?>> pendingOfflines = ConcurrentHashMap.newKeySet();

  public SessionRegistrar(
      String connectorId,
      PresenceRegistry presence,
      RemoteKicker kicker,
      PresencePublisher publisher) {
    this.connectorId = connectorId;
    this.presence = presence;
    this.kicker = kicker;
    this.publisher = publisher;
  }

  /**
   * Registers the session's route. If it replaced a session of the same device on another
   * connector, that connector is asked to kick it (not awaited: the new session is usable either
   * way). The future fails when user-status could not be reached.
   *
   * @param replacedHere this session replaced (kicked) an older session of the same device on this
   *     connector: the user was online all along, so the start is not reported
   */
  public CompletableFuture<Void> online(Session session, boolean replacedHere) {
    CompletableFuture<PresenceRegistry.Registration> online;
    try {
      online = presence.online(session.route());
    } catch (RuntimeException e) {
      online = CompletableFuture.failedFuture(e);
    }
    return online
        .whenComplete((previous, failure) -> session.registrationDone())
        .thenAccept(
            registration -> {
              if (registration.previous().isPresent()) {
                kickElsewhere(session, registration.previous().get());
              } else if (!replacedHere) {
                report(session, true, registration.liveSessions());
              }
            });
  }

  /**
   * Withdraws the route after the session's Online call has finished, so that a late Online can
   * never re-create the route of a closed session.
   *
   * @param replacedHere a newer session of the same device is already on this connector (it kicked
   *     this one): its Online follows, so the end of this one is not reported, or the friends would
   *     see the user flap offline and online
   */
  public void offline(Session session, boolean replacedHere) {
    CompletableFuture<PresenceRegistry.Withdrawal> offline =
        session
            .registration()
            .toCompletableFuture()
            .thenCompose(done -> presence.offline(session.route()));
    pendingOfflines.add(offline);
    offline.whenComplete(
        (withdrawal, failure) -> {
          pendingOfflines.remove(offline);
          if (failure == null) {
            if (withdrawal.removed() && !replacedHere) {
              report(session, false, withdrawal.liveSessions());
            }
          } else {
            // The route expires by its TTL once this connector stops renewing it.
            log.warn(
                "offline failed user={} device={} session={}: {}",
                session.userId(),
                session.deviceId(),
                session.sessionId(),
                RetryingCall.unwrap(failure).toString());
          }
        });
  }

  /** A user-status that counted decides here; without a count, transfer decides. */
  private void report(Session session, boolean online, OptionalInt liveSessions) {
    if (liveSessions.isEmpty()) {
      publisher.publish(session.userId(), session.deviceId(), online, false);
    } else if (liveSessions.getAsInt() == (online ? 1 : 0)) {
      publisher.publish(session.userId(), session.deviceId(), online, true);
    }
  }

  /** Waits (bounded) for Offline calls still in flight, e.g. at shutdown. */
  public void awaitPendingOfflines(Duration timeout) {
    CompletableFuture<?>[] pending = pendingOfflines.toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(pending).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      log.warn("{} offline calls still pending after {}", pendingOfflines.size(), timeout);
    } catch (Exception e) {
      // failures are logged per session
    }
  }

  private void kickElsewhere(Session session, SessionRoute previous) {
    // The same session (a retried Online) or a session on this connector (already kicked
    // locally by the session table) needs no remote kick.
    if (previous.getSessionId().equals(session.sessionId())
        || previous.getConnectorId().equals(connectorId)
        || previous.getConnectorId().isEmpty()) {
      return;
    }
    KickRequest request =
        KickRequest.newBuilder()
            .setUserId(session.userId())
            .setDeviceId(session.deviceId())
            .setKeepSessionId(session.sessionId())
            .setReason(KickReason.LOGGED_IN_ELSEWHERE)
            .setMessage("this device logged in on another connection")
            .build();
    CompletableFuture<Integer> kicked;
    try {
      kicked = kicker.kick(previous.getConnectorId(), request);
    } catch (RuntimeException e) {
      kicked = CompletableFuture.failedFuture(e);
    }
    kicked.whenComplete(
        (count, failure) -> {
          if (failure != null) {
            log.warn(
                "could not kick user={} device={} on connector={}: {}",
                session.userId(),
                session.deviceId(),
                previous.getConnectorId(),
                RetryingCall.unwrap(failure).toString());
          } else {
            log.info(
                "kicked {} older session(s) of user={} device={} on connector={}",
                count,
                session.userId(),
                session.deviceId(),
                previous.getConnectorId());
          }
        });
  }
}
