package dev.switchboard.userstatus;

import static dev.switchboard.userstatus.InProcessUserStatus.session;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.internal.CountOnlineRequest;
import dev.switchboard.proto.internal.ListOnlineRequest;
import dev.switchboard.proto.internal.ListOnlineResponse;
import dev.switchboard.proto.internal.OfflineRequest;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.RenewRequest;
import dev.switchboard.proto.internal.SessionRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Online count and list; each test has a key prefix of its own, so the online set is its own. */
@ExtendWith(InfraExtension.class)
class OnlineUsersIT {

  private final EmbeddedRedis redis;
  private final TestIds ids = new TestIds();
  private final MutableClock clock = new MutableClock();
  private InProcessUserStatus userStatus;

  OnlineUsersIT(EmbeddedRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void startService() throws Exception {
    userStatus =
        InProcessUserStatus.start(redis.url(), clock, InProcessUserStatus.TTL, ids.keyPrefix());
  }

  @AfterEach
  void stopService() throws Exception {
    userStatus.close();
  }

  @Test
  void countOnline_countsUsersNotDevices_andDropsUsersWhoWentOffline() {
    long alice = ids.userId();
    long bob = ids.userId();
    SessionRoute alicePhone = session(alice, "phone", "conn-a", ids.sessionId());
    online(alicePhone);
    online(session(alice, "laptop", "conn-b", ids.sessionId()));
    SessionRoute bobPhone = session(bob, "phone", "conn-a", ids.sessionId());
    online(bobPhone);
    assertThat(count()).isEqualTo(2);

    offline(bobPhone);
    offline(alicePhone);

    assertThat(count()).isEqualTo(1);
  }

  @Test
  void usersWhoseRoutesExpired_areNeitherCountedNorListed_andThePurgeDropsThem() {
    long crashed = ids.userId();
    online(session(crashed, "phone", "conn-crashed", ids.sessionId()));
    clock.advance(Duration.ofSeconds(60));
    long alive = ids.userId();
    online(session(alive, "phone", "conn-alive", ids.sessionId()));
    clock.advance(Duration.ofSeconds(31));

    assertThat(count()).isEqualTo(1);
    assertThat(list(100, "").getUserIdsList()).containsExactly(alive);
    assertThat(userStatus.routes().purgeExpired()).isEqualTo(1);
    assertThat(userStatus.redis().zcard(userStatus.keys().online())).isEqualTo(1);
  }

  @Test
  void listOnline_pagesThroughEveryUserOnce_withTheCursor() {
    // One renewal batch: every user gets the same expiry, so the paging must break ties by member.
    List<SessionRoute> sessions = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      sessions.add(session(ids.userId(), "phone", "conn-a", ids.sessionId()));
    }
    userStatus
        .stub()
        .renew(RenewRequest.newBuilder().setConnectorId("conn-a").addAllSessions(sessions).build());

    List<Long> listed = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = "";
    do {
      ListOnlineResponse page = list(100, cursor);
      listed.addAll(page.getUserIdsList());
      pageSizes.add(page.getUserIdsCount());
      cursor = page.getNextCursor();
    } while (!cursor.isEmpty() && pageSizes.size() < 10); // bounded: a paging bug must not hang

    assertThat(pageSizes).containsExactly(100, 100, 50);
    assertThat(listed)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            sessions.stream().map(SessionRoute::getUserId).toList());
    assertThat(count()).isEqualTo(250);
  }

  @Test
  void listOnline_exactlyOnePageOfUsers_hasNoNextCursor() {
    for (int i = 0; i < 3; i++) {
      online(session(ids.userId(), "phone", "conn-a", ids.sessionId()));
    }

    ListOnlineResponse page = list(3, "");

    assertThat(page.getUserIdsCount()).isEqualTo(3);
    assertThat(page.getNextCursor()).isEmpty();
  }

  @Test
  void usersGoingOfflineBetweenPages_doNotMakeTheListSkipOthers() {
    List<SessionRoute> sessions = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      SessionRoute session = session(ids.userId(), "phone", "conn-a", ids.sessionId());
      sessions.add(session);
      online(session);
      clock.advance(Duration.ofMillis(1)); // distinct expiries: list order = login order
    }
    ListOnlineResponse first = list(10, "");
    assertThat(first.getUserIdsList())
        .containsExactlyElementsOf(
            sessions.subList(0, 10).stream().map(SessionRoute::getUserId).toList());

    sessions.subList(0, 5).forEach(this::offline); // already listed users leave

    ListOnlineResponse second = list(10, first.getNextCursor());
    assertThat(second.getUserIdsList())
        .containsExactlyElementsOf(
            sessions.subList(10, 20).stream().map(SessionRoute::getUserId).toList());
  }

  @Test
  void listOnline_withoutLimit_usesTheDefaultPageSize() {
    for (int i = 0; i < 120; i++) {
      online(session(ids.userId(), "phone", "conn-a", ids.sessionId()));
    }

    ListOnlineResponse page = list(0, "");

    assertThat(page.getUserIdsCount()).isEqualTo(100);
    assertThat(page.getNextCursor()).isNotEmpty();
  }

  private void online(SessionRoute session) {
    userStatus.stub().online(OnlineRequest.newBuilder().setSession(session).build());
  }

  private void offline(SessionRoute session) {
    userStatus.stub().offline(OfflineRequest.newBuilder().setSession(session).build());
  }

  private long count() {
    return userStatus.stub().countOnline(CountOnlineRequest.getDefaultInstance()).getUsers();
  }

  private ListOnlineResponse list(int limit, String cursor) {
    return userStatus
        .stub()
        .listOnline(ListOnlineRequest.newBuilder().setLimit(limit).setCursor(cursor).build());
  }
}
