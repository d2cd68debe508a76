package dev.switchboard.transfer.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proto.internal.SessionRoute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteCacheTest {

  private static final long NOW = 1_000_000L;
  private static final Duration TTL = Duration.ofSeconds(30);

  private final FakeSource source = new FakeSource();
  private final RouteCache cache =
      new RouteCache(source, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), TTL, 1_000);

  @Test
  void beforeTheFeedIsLive_everyLookupGoesToTheSource() throws Exception {
    source.set(1, route(1, "conn-a", NOW + 60_000));

    cache.routes(List.of(1L));
    cache.routes(List.of(1L));

    assertThat(source.asked).hasSize(2);
  }

  @Test
  void whileLive_aSecondLookupIsAnsweredFromTheCache_includingAnOfflineUser() throws Exception {
    cache.live();
    source.set(1, route(1, "conn-a", NOW + 60_000));

    List<SessionRoute> first = cache.routes(List.of(1L, 2L));
    List<SessionRoute> second = cache.routes(List.of(2L, 1L));

    assertThat(second).isEqualTo(first).extracting(SessionRoute::getConnectorId).contains("conn-a");
    assertThat(source.asked).containsExactly(List.of(1L, 2L));
    assertThat(cache.hits()).isEqualTo(2);
  }

  @Test
  void anAnnouncedChange_dropsTheUser_soTheNextLookupSeesTheNewRoute() throws Exception {
    cache.live();
    source.set(1, route(1, "conn-a", NOW + 60_000));
    cache.routes(List.of(1L));

    source.set(1, route(1, "conn-b", NOW + 60_000));
    cache.invalidate(List.of(1L));

    assertThat(cache.routes(List.of(1L)))
        .extracting(SessionRoute::getConnectorId)
        .containsExactly("conn-b");
  }

  @Test
  void aLookupThatReadBeforeAChangeAnnouncedDuringIt_isNotKept() throws Exception {
    cache.live();
    source.set(1, route(1, "conn-a", NOW + 60_000));
    // The change lands in user-status and is announced while the lookup is on the wire.
    source.duringNextLookup =
        () -> {
          source.set(1, route(1, "conn-b", NOW + 60_000));
          cache.invalidate(List.of(1L));
        };

    assertThat(cache.routes(List.of(1L)))
        .extracting(SessionRoute::getConnectorId)
        .containsExactly("conn-a");
    assertThat(cache.routes(List.of(1L)))
        .extracting(SessionRoute::getConnectorId)
        .containsExactly("conn-b");
    assertThat(source.asked).hasSize(2);
  }

  @Test
  void aLookupThatReadBeforeAChange_doesNotOverwriteALookupThatReadAfterIt() throws Exception {
    cache.live();
    source.set(1, route(1, "conn-a", NOW + 60_000));
    // While the first lookup is on the wire: the change is announced, and a second push's lookup
    // reads the new route and stores it over the tombstone.
    source.duringNextLookup =
        () -> {
          source.set(1, route(1, "conn-b", NOW + 60_000));
          cache.invalidate(List.of(1L));
          try {
            cache.routes(List.of(1L));
          } catch (RouteLookupException e) {
            throw new AssertionError(e);
          }
        };

    cache.routes(List.of(1L));

    assertThat(cache.routes(List.of(1L)))
        .extracting(SessionRoute::getConnectorId)
        .containsExactly("conn-b");
    assertThat(source.asked).hasSize(2);
  }

  @Test
  void aLookupRunningWhileTheFeedWentDownAndCameBack_isNotKept() throws Exception {
    cache.live();
    source.set(1, route(1, "conn-a", NOW + 60_000));
    source.duringNextLookup =
        () -> {
          cache.down();
          cache.live();
        };

    cache.routes(List.of(1L));
    cache.routes(List.of(1L));

    assertThat(source.asked).hasSize(2);
  }

  @Test
  void down_dropsEverything_andStopsCaching() throws Exception {
    cache.live();
    source.set(1, route(1, "conn-a", NOW + 60_000));
    cache.routes(List.of(1L));

    cache.down();
    cache.routes(List.of(1L));
    cache.routes(List.of(1L));

    assertThat(source.asked).hasSize(3);
    assertThat(cache.isLive()).isFalse();
  }

  @Test
  void anEntryIsNotUsedPastTheEarliestExpiryOfItsRoutes() throws Exception {
    cache.live();
    // Expires now: user-status would drop it on the next read, and no change is announced.
    source.set(1, route(1, "conn-a", NOW));

    cache.routes(List.of(1L));
    cache.routes(List.of(1L));

    assertThat(source.asked).hasSize(2);
  }

  private static SessionRoute route(long userId, String connector, long expiresAtMs) {
    return SessionRoute.newBuilder()
        .setUserId(userId)
        .setDeviceId("phone")
        .setConnectorId(connector)
        .setSessionId(connector + "-session")
        .setExpiresAtMs(expiresAtMs)
        .build();
  }

  private static final class FakeSource implements RouteSource {
    final Map<Long, SessionRoute> routes = new HashMap<>();
    final List<List<Long>> asked = new ArrayList<>();
    Runnable duringNextLookup;

    void set(long userId, SessionRoute route) {
      routes.put(userId, route);
    }

    @Override
    public List<SessionRoute> routes(Collection<Long> userIds) {
      asked.add(List.copyOf(userIds));
      List<SessionRoute> found = new ArrayList<>();
      for (Long userId : userIds) {
        if (routes.containsKey(userId)) {
          found.add(routes.get(userId));
        }
      }
      Runnable during = duringNextLookup;
      duringNextLookup = null;
      if (during != null) {
        during.run();
      }
      return found;
    }
  }
}
