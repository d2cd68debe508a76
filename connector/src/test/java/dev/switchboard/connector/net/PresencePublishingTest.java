package dev.switchboard.connector.net;

import static dev.switchboard.connector.testing.ClientHarness.login;
import static dev.switchboard.connector.testing.ClientHarness.read;
import static dev.switchboard.connector.testing.ClientHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connector.testing.ClientHarness;
import dev.switchboard.proto.internal.SessionRoute;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the connector reports to transfer (PublishPresence) when sessions start and end. */
class PresencePublishingTest {
  private final ClientHarness harness = new ClientHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void sessionStart_isPublishedOnceItsOnlineSucceeded_andItsEndAfterTheOffline() {
    CompletableFuture<Void> gate = harness.presence.holdOnlineCalls();
    EmbeddedChannel channel = harness.connect();
    send(channel, login(1, harness.token(7, "phone"), "phone"));
    assertThat(read(channel).get(0).getLoginResp().getOk()).isTrue();
    assertThat(harness.publisher.published()).as("Online not answered yet").isEmpty();

    gate.complete(null);
    assertThat(harness.publisher.published()).containsExactly("7/phone online");

    channel.close();
    assertThat(harness.publisher.published()).containsExactly("7/phone online", "7/phone offline");
  }

  @Test
  void onlyTheUsersFirstStartAndLastEnd_areReported() {
    EmbeddedChannel phone = harness.loggedIn(7, "phone");
    harness.loggedIn(7, "laptop").close();
    assertThat(harness.publisher.published()).containsExactly("7/phone online");

    phone.close();
    assertThat(harness.publisher.published()).containsExactly("7/phone online", "7/phone offline");
  }

  @Test
  void withAUserStatusThatDoesNotCount_everyStartAndEnd_isReportedForTransferToDecide() {
    harness.presence.setCountsSessions(false);
    harness.loggedIn(7, "phone");
    harness.loggedIn(7, "laptop").close();

    assertThat(harness.publisher.published())
        .containsExactly(
            "7/phone online (transfer decides)",
            "7/laptop online (transfer decides)",
            "7/laptop offline (transfer decides)");
  }

  @Test
  void failedOnline_isNeverPublished_norItsEnd() {
    CompletableFuture<Void> gate = harness.presence.holdOnlineCalls();
    EmbeddedChannel channel = harness.connect();
    send(channel, login(1, harness.token(7, "phone"), "phone"));

    gate.completeExceptionally(new IllegalStateException("redis down"));
    read(channel);

    assertThat(channel.isOpen()).isFalse();
    assertThat(harness.publisher.published()).isEmpty();
  }

  @Test
  void reloginOfTheSameDevice_changesNothingForTheFriends() {
    EmbeddedChannel first = harness.loggedIn(7, "phone");
    EmbeddedChannel second = harness.loggedIn(7, "phone");
    read(first);

    assertThat(first.isOpen()).as("kicked by the new login").isFalse();
    assertThat(second.isOpen()).isTrue();
    assertThat(harness.publisher.published()).containsExactly("7/phone online");
  }

  @Test
  void loginReplacingARouteOnAnotherConnector_isNotAnotherStart() {
    harness.presence.putRoute(
        SessionRoute.newBuilder()
            .setUserId(7)
            .setDeviceId("phone")
            .setConnectorId("conn-other")
            .setSessionId("old-session")
            .build());

    harness.loggedIn(7, "phone");

    assertThat(harness.publisher.published()).isEmpty();
  }

  @Test
  void endWhoseRouteIsGoneAlready_isNotPublished() {
    EmbeddedChannel channel = harness.loggedIn(7, "phone");
    // A newer login of the device on another connector took the route over.
    harness.presence.putRoute(
        SessionRoute.newBuilder()
            .setUserId(7)
            .setDeviceId("phone")
            .setConnectorId("conn-other")
            .setSessionId("newer-session")
            .build());

    channel.close();

    assertThat(harness.publisher.published()).containsExactly("7/phone online");
  }
}
