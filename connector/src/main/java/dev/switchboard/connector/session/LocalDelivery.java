package dev.switchboard.connector.session;

import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.internal.Delivery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes pushed frames to, and ends, the sessions on this connector. Only writes to channels: it
 * runs on gRPC threads and must never block them. The frames of one push reach each event loop as
 * one task ({@link LoopWrites}).
 */
public final class LocalDelivery {
  private static final Logger log = LoggerFactory.getLogger(LocalDelivery.class);

  private final SessionTable sessions;

  public LocalDelivery(SessionTable sessions) {
    this.sessions = sessions;
  }

  /** How many sessions got a frame, and which users had no matching session here. */
  public record Result(int deliveredSessions, List<Long> missingUserIds) {}

  public Result deliver(List<Delivery> deliveries) {
    int delivered = 0;
    Set<Long> missing = new LinkedHashSet<>();
    LoopWrites writes = new LoopWrites();
    for (Delivery delivery : deliveries) {
      int written = 0;
      for (Session session : matching(delivery)) {
        if (accepts(session)) {
          writes.add(session.channel(), delivery.getFrame());
          written++;
        }
      }
      if (written == 0) {
        missing.add(delivery.getUserId());
      }
      delivered += written;
    }
    writes.dispatch();
    return new Result(delivered, new ArrayList<>(missing));
  }

  /**
   * Kicks the user's sessions (one device, or all when {@code deviceId} is empty), except the one
   * with {@code keepSessionId}; returns how many were kicked.
   */
  public int kick(
      long userId, String deviceId, String keepSessionId, KickReason reason, String message) {
    List<Session> candidates =
        deviceId.isEmpty()
            ? sessions.sessionsOf(userId)
            : sessions.find(userId, deviceId).map(List::of).orElse(List.of());
    int kicked = 0;
    for (Session session : candidates) {
      if (!session.sessionId().equals(keepSessionId)) {
        session.kick(reason, message);
        kicked++;
        log.info(
            "kicked user={} device={} session={} reason={}",
            session.userId(),
            session.deviceId(),
            session.sessionId(),
            reason);
      }
    }
    return kicked;
  }

  /** Every session on this connector, e.g. at shutdown. */
  public int kickAll(KickReason reason, String message) {
    List<Session> all = sessions.all();
    all.forEach(session -> session.kick(reason, message));
    return all.size();
  }

  private List<Session> matching(Delivery delivery) {
    List<Session> candidates =
        delivery.getDeviceId().isEmpty()
            ? sessions.sessionsOf(delivery.getUserId())
            : sessions
                .find(delivery.getUserId(), delivery.getDeviceId())
                .map(List::of)
                .orElse(List.of());
    String excluded = delivery.getExcludeDeviceId();
    if (excluded.isEmpty()) {
      return candidates;
    }
    return candidates.stream().filter(s -> !s.deviceId().equals(excluded)).toList();
  }

  /**
   * A client that stopped reading while its outbound buffer passed the high-water mark is closed
   * rather than buffered without bound; it reconnects and syncs what it missed.
   */
  private static boolean accepts(Session session) {
    if (!session.isOpen()) {
      return false;
    }
    if (!session.channel().isWritable()) {
      log.warn(
          "closing slow consumer user={} device={} session={}: outbound buffer full",
          session.userId(),
          session.deviceId(),
          session.sessionId());
      session.channel().close();
      return false;
    }
    return true;
  }
}
