package dev.switchboard.userstatus.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.Tuple;

/**
 * Session routes and the online set in Redis (key shapes in {@link RedisKeys}).
 *
 * <p>Every update that touches more than one key, or reads before it writes, is one Lua script, so
 * concurrent logins, logouts and renewals of the same user never interleave: there is no {@code
 * HGET}-then-{@code HSET} race in Java. Expiry times come from the injected {@link Clock} and are
 * passed to the scripts; the key TTLs are relative ({@code PEXPIRE}), so the service clock and the
 * Redis clock need not agree.
 *
 * <p>Renewals arrive as one batch per connector (rejected alternative: one write per client
 * heartbeat, which would cost Redis a round trip per ping of every connected device). A batch is
 * split into scripts of {@value #SESSIONS_PER_SCRIPT} sessions so that one huge batch does not
 * block Redis for long; each session is still renewed atomically.
 */
public final class RouteStore {

  /** Upper bound of sessions renewed by one script call. */
  static final int SESSIONS_PER_SCRIPT = 1000;

  /**
   * Smallest read while paging the online list: many users share one score (a batch renewal gives
   * them the same expiry) and the entries already returned at the cursor's score are skipped.
   */
  private static final int MIN_PAGE_FETCH = 512;

  private final RedisExecutor redis;
  private final RedisKeys keys;
  private final Clock clock;
  private final long ttlMs;
  private final LuaScript onlineScript = LuaScript.fromClasspath("online");
  private final LuaScript offlineScript = LuaScript.fromClasspath("offline");
  private final LuaScript renewScript = LuaScript.fromClasspath("renew");

  public RouteStore(RedisExecutor redis, RedisKeys keys, Clock clock, Duration sessionTtl) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (sessionTtl.toMillis() <= 0) {
      throw new IllegalArgumentException("session TTL must be positive: " + sessionTtl);
    }
    this.ttlMs = sessionTtl.toMillis();
  }

  /** Loads the scripts into Redis (SCRIPT LOAD); later calls only send their SHA. */
  public void loadScripts() {
    onlineScript.load(redis);
    offlineScript.load(redis);
    renewScript.load(redis);
  }

  /**
   * Registers {@code session} (its {@code expiresAtMs} is ignored and set to now + TTL), replacing
   * what its device had before.
   */
  public OnlineResult online(Route session) {
    long now = clock.millis();
    Route current = session.withExpiry(now + ttlMs);
    List<?> reply =
        (List<?>)
            onlineScript.run(
                redis,
                List.of(keys.routes(session.userId()), keys.online()),
                List.of(
                    Long.toString(session.userId()),
                    session.deviceId(),
                    RouteValue.encode(
                        current.connectorId(), current.sessionId(), current.expiresAtMs()),
                    Long.toString(now),
                    keys.routeChanges()));
    Optional<Route> before =
        RouteValue.decode(session.userId(), session.deviceId(), (String) reply.get(0));
    boolean replaced = before.isPresent() && !before.get().sessionId().equals(session.sessionId());
    return new OnlineResult(current, before, replaced, count(reply.get(1)));
  }

  /**
   * Removes the route of {@code (userId, deviceId)} if it still belongs to {@code sessionId}.
   *
   * @return not removed if the device has no route or a newer session owns it
   */
  public OfflineResult offline(long userId, String deviceId, String sessionId) {
    List<?> reply =
        (List<?>)
            offlineScript.run(
                redis,
                List.of(keys.routes(userId), keys.online()),
                List.of(
                    Long.toString(userId),
                    deviceId,
                    sessionId,
                    Long.toString(clock.millis()),
                    keys.routeChanges()));
    return new OfflineResult(Long.valueOf(1).equals(reply.get(0)), count(reply.get(1)));
  }

  private static int count(Object reply) {
    return Math.toIntExact((Long) reply);
  }

  /**
   * Extends the sessions of one connector to now + TTL, re-creating the routes Redis lost (restart,
   * FLUSHALL). A device now owned by another session is left alone.
   *
   * <p>A renewal racing with the Offline of the same session (the connector's batch was taken
   * before the client left) re-creates that route; it then expires after one TTL because the next
   * batch no longer contains it. Accepted: refusing to re-create routes would lose every route
   * after a Redis restart instead.
   *
   * @return how many sessions were renewed
   */
  public int renew(String connectorId, List<Route> sessions) {
    long now = clock.millis();
    String expiresAt = Long.toString(now + ttlMs);
    int renewed = 0;
    for (int from = 0; from < sessions.size(); from += SESSIONS_PER_SCRIPT) {
      List<Route> chunk =
          sessions.subList(from, Math.min(sessions.size(), from + SESSIONS_PER_SCRIPT));
      List<String> scriptKeys = new ArrayList<>(chunk.size() + 1);
      List<String> args = new ArrayList<>(chunk.size() * 3 + 4);
      scriptKeys.add(keys.online());
      args.add(Long.toString(now));
      args.add(expiresAt);
      args.add(connectorId);
      args.add(keys.routeChanges());
      for (Route session : chunk) {
        scriptKeys.add(keys.routes(session.userId()));
        args.add(Long.toString(session.userId()));
        args.add(session.deviceId());
        args.add(session.sessionId());
      }
      renewed += ((Long) renewScript.run(redis, scriptKeys, args)).intValue();
    }
    return renewed;
  }

  /**
   * The live routes of the given users (one pipelined round trip), in the order of {@code userIds}
   * and by device id. Routes past their expiry are dropped even while another device keeps the
   * user's hash alive, so a crashed connector's sessions disappear on time.
   */
  public List<Route> routes(Collection<Long> userIds) {
    if (userIds.isEmpty()) {
      return List.of();
    }
    List<Long> distinct = new ArrayList<>(new LinkedHashSet<>(userIds));
    Map<Long, Map<String, String>> hashes =
        redis.call(
            "HGETALL routes of " + distinct.size() + " users",
            client -> {
              Map<Long, Response<Map<String, String>>> responses = new LinkedHashMap<>();
              try (AbstractPipeline pipeline = client.pipelined()) {
                for (Long userId : distinct) {
                  responses.put(userId, pipeline.hgetAll(keys.routes(userId)));
                }
                pipeline.sync();
              }
              Map<Long, Map<String, String>> result = new LinkedHashMap<>();
              responses.forEach((userId, response) -> result.put(userId, response.get()));
              return result;
            });
    long now = clock.millis();
    List<Route> routes = new ArrayList<>();
    hashes.forEach(
        (userId, devices) ->
            devices.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> RouteValue.decode(userId, e.getKey(), e.getValue()))
                .flatMap(Optional::stream)
                .filter(route -> route.expiresAtMs() > now)
                .forEach(routes::add));
    return routes;
  }

  /** Users with at least one live route. */
  public long countOnline() {
    String from = "(" + clock.millis();
    return redis.call("ZCOUNT online", client -> client.zcount(keys.online(), from, "+inf"));
  }

  /**
   * A page of online users in the order of the online set (earliest expiry first).
   *
   * @param after the cursor of the previous page, or null for the first page
   */
  public OnlinePage listOnline(int limit, OnlineCursor after) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive");
    }
    long now = clock.millis();
    // A cursor at or below "now" points into expired entries: start at the first live one instead.
    boolean resume = after != null && after.score() > now;
    String min = resume ? Long.toString(after.score()) : "(" + now;
    int fetch = Math.max(limit + 1, MIN_PAGE_FETCH);
    List<Tuple> page = new ArrayList<>(limit + 1);
    int offset = 0;
    while (page.size() <= limit) {
      int from = offset;
      List<Tuple> batch =
          redis.call(
              "ZRANGEBYSCORE online",
              client -> client.zrangeByScoreWithScores(keys.online(), min, "+inf", from, fetch));
      for (Tuple entry : batch) {
        if (resume && alreadyListed(entry, after)) {
          continue;
        }
        page.add(entry);
        if (page.size() > limit) {
          break;
        }
      }
      if (batch.size() < fetch) {
        break;
      }
      offset += batch.size();
    }
    Optional<OnlineCursor> next = Optional.empty();
    if (page.size() > limit) {
      Tuple last = page.get(limit - 1);
      next =
          Optional.of(new OnlineCursor((long) last.getScore(), Long.parseLong(last.getElement())));
      page = page.subList(0, limit);
    }
    return new OnlinePage(page.stream().map(t -> Long.parseLong(t.getElement())).toList(), next);
  }

  /** Entries at the cursor's score up to and including its member were on an earlier page. */
  private static boolean alreadyListed(Tuple entry, OnlineCursor cursor) {
    return (long) entry.getScore() == cursor.score()
        && entry.getElement().compareTo(cursor.member()) <= 0;
  }

  /**
   * Drops users whose routes all expired without an Offline (crashed connector) from the online
   * set. Their hashes expire by themselves; this keeps the sorted set from growing.
   *
   * @return how many users were dropped
   */
  public long purgeExpired() {
    String upTo = Long.toString(clock.millis());
    return redis.call(
        "ZREMRANGEBYSCORE online", client -> client.zremrangeByScore(keys.online(), "-inf", upTo));
  }

  public long sessionTtlMs() {
    return ttlMs;
  }
}
