package dev.switchboard.transfer.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proto.Frame;
import dev.switchboard.proto.NoticeType;
import dev.switchboard.proto.internal.SessionRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceNotifierTest {

  @Test
  void theFirstSessionToStart_isTheUserComingOnline() {
    assertThat(PresenceNotifier.isTransition(true, 1)).isTrue();
    assertThat(PresenceNotifier.isTransition(true, 2)).as("another device was online").isFalse();
    assertThat(PresenceNotifier.isTransition(true, 0)).as("the session is gone again").isFalse();
  }

  @Test
  void theLastSessionToEnd_isTheUserGoingOffline() {
    assertThat(PresenceNotifier.isTransition(false, 0)).isTrue();
    assertThat(PresenceNotifier.isTransition(false, 1)).as("another device is online").isFalse();
  }

  @Test
  void onlyTheUsersOwnRoutesCount() {
    List<SessionRoute> routes =
        List.of(
            SessionRoute.newBuilder().setUserId(5).setDeviceId("phone").build(),
            SessionRoute.newBuilder().setUserId(6).setDeviceId("phone").build(),
            SessionRoute.newBuilder().setUserId(5).setDeviceId("laptop").build());
    assertThat(PresenceNotifier.liveRoutes(routes, 5)).isEqualTo(2);
    assertThat(PresenceNotifier.liveRoutes(routes, 7)).isZero();
  }

  @Test
  void notice_namesTheUserItsStateAndTheTime() {
    Frame frame = PresenceNotifier.notice(5, false, 1234);
    assertThat(frame.getNotice().getType()).isEqualTo(NoticeType.PRESENCE);
    assertThat(frame.getNotice().getFromUserId()).isEqualTo(5);
    assertThat(frame.getNotice().getOnline()).isFalse();
    assertThat(frame.getNotice().getAtMs()).isEqualTo(1234);
  }
}
