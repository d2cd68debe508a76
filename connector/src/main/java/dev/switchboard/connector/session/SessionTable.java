package dev.switchboard.connector.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions on this connector, by (user id, device id). One user's devices live in an immutable
 * map that is replaced atomically ({@link ConcurrentHashMap#compute}), so readers on gRPC threads
 * never see a half-updated user and writers on different event loops never lose an update.
 */
public final class SessionTable {
  private final ConcurrentHashMap<Long, Map<String, Session>> byUser = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();

  /** Adds the session; returns the one it replaced for the same (user, device), if any. */
  public Optional<Session> put(Session session) {
    Session[] previous = new Session[1];
    byUser.compute(
        session.userId(),
        (userId, devices) -> {
          Map<String, Session> next = devices == null ? new HashMap<>() : new HashMap<>(devices);
          previous[0] = next.put(session.deviceId(), session);
          return Map.copyOf(next);
        });
    if (previous[0] == null) {
      size.incrementAndGet();
    }
    return Optional.ofNullable(previous[0]);
  }

  /**
   * Removes the session only if it is still the one registered for its (user, device): a newer
   * login of the same device must survive the old connection's close.
   */
  public boolean remove(Session session) {
    boolean[] removed = new boolean[1];
    byUser.computeIfPresent(
        session.userId(),
        (userId, devices) -> {
          if (devices.get(session.deviceId()) != session) {
            return devices;
          }
          removed[0] = true;
          Map<String, Session> next = new HashMap<>(devices);
          next.remove(session.deviceId());
          return next.isEmpty() ? null : Map.copyOf(next);
        });
    if (removed[0]) {
      size.decrementAndGet();
    }
    return removed[0];
  }

  public Optional<Session> find(long userId, String deviceId) {
    Map<String, Session> devices = byUser.get(userId);
    return devices == null ? Optional.empty() : Optional.ofNullable(devices.get(deviceId));
  }

  public List<Session> sessionsOf(long userId) {
    Map<String, Session> devices = byUser.get(userId);
    return devices == null ? List.of() : List.copyOf(devices.values());
  }

  /** A snapshot; sessions may come and go while the caller iterates. */
  public List<Session> all() {
    List<Session> all = new ArrayList<>(size.get());
    for (Map<String, Session> devices : byUser.values()) {
      all.addAll(devices.values());
    }
    return all;
  }

  public int size() {
    return size.get();
  }
}
