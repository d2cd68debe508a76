package dev.switchboard.connector.session;

import static dev.switchboard.connector.testing.ClientHarness.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connector.testing.ClientHarness;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
import dev.switchboard.proto.internal.Delivery;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Notices (friend requests, presence) need no code of their own: they are frames like any. */
class NoticeDeliveryTest {
  private final ClientHarness harness = new ClientHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void deliveredNotice_reachesTheClientOnTheWire() {
    EmbeddedChannel bob = harness.loggedIn(8, "phone");
    Frame notice =
        Frame.newBuilder()
            .setNotice(
                Notice.newBuilder()
                    .setType(NoticeType.FRIEND_REQUEST)
                    .setFromUserId(7)
                    .setFriendRequestId(12)
                    .setText("hi"))
            .build();

    LocalDelivery.Result result =
        new LocalDelivery(harness.sessions)
            .deliver(List.of(Delivery.newBuilder().setUserId(8).setFrame(notice).build()));

    assertThat(result.deliveredSessions()).isEqualTo(1);
    assertThat(read(bob)).containsExactly(notice);
  }
}
