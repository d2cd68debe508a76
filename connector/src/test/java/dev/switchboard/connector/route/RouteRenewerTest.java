package dev.switchboard.connector.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connector.session.Session;
import dev.switchboard.connector.session.SessionTable;
import dev.switchboard.connector.testing.InMemoryPresence;
import dev.switchboard.proto.internal.SessionRoute;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteRenewerTest {
  private final SessionTable sessions = new SessionTable();
  private final InMemoryPresence presence = new InMemoryPresence();
  private final RouteRenewer renewer = new RouteRenewer("conn-test", sessions, presence);
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void tearDown() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void renewal_sendsAllLocalSessionsInOneCall() throws Exception {
    add(1, "phone");
    add(1, "laptop");
    add(2, "phone");

    int renewed = renewer.renewNow().get(5, TimeUnit.SECONDS);

    assertThat(renewed).isEqualTo(3);
    assertThat(presence.renewals).hasSize(1);
    assertThat(presence.renewals.get(0))
        .extracting(
            SessionRoute::getUserId, SessionRoute::getDeviceId, SessionRoute::getConnectorId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(1L, "phone", "conn-test"),
            org.assertj.core.groups.Tuple.tuple(1L, "laptop", "conn-test"),
            org.assertj.core.groups.Tuple.tuple(2L, "phone", "conn-test"));
  }

  @Test
  void manySessions_areSplitIntoBoundedBatches() throws Exception {
    for (int i = 0; i < RouteRenewer.MAX_ROUTES_PER_CALL + 5; i++) {
      add(i + 1, "phone");
    }

    int renewed = renewer.renewNow().get(5, TimeUnit.SECONDS);

    assertThat(renewed).isEqualTo(RouteRenewer.MAX_ROUTES_PER_CALL + 5);
    assertThat(presence.renewals)
        .extracting(List::size)
        .containsExactly(RouteRenewer.MAX_ROUTES_PER_CALL, 5);
  }

  @Test
  void closedSessions_areNotRenewed() throws Exception {
    add(1, "phone");
    add(2, "phone").close();

    renewer.renewNow().get(5, TimeUnit.SECONDS);

    assertThat(presence.renewals.get(0)).extracting(SessionRoute::getUserId).containsExactly(1L);
  }

  @Test
  void noSessions_noCall() throws Exception {
    assertThat(renewer.renewNow().get(5, TimeUnit.SECONDS)).isZero();
    assertThat(presence.renewals).isEmpty();
  }

  @Test
  void aFailedRound_doesNotStopTheNextOne() throws Exception {
    add(1, "phone");
    presence.setUnreachable(true);
    assertThat(renewer.renewNow()).isCompletedExceptionally();

    presence.setUnreachable(false);
    assertThat(renewer.renewNow().get(5, TimeUnit.SECONDS)).isEqualTo(1);
  }

  private EmbeddedChannel add(long userId, String deviceId) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channels.add(channel);
    sessions.put(new Session("s-" + channels.size(), userId, deviceId, "t", "conn-test", channel));
    return channel;
  }
}
