package dev.switchboard.launcher.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.ServerErrorException;
import dev.switchboard.client.rest.FriendRequest;
import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.launcher.system.ClusterExtension.TestCluster;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The social graph on the message path: friends-only policy, blocks, friend and presence notices.
 */
@ExtendWith(ClusterExtension.class)
class FriendsSystemIT {
  private static TestCluster cluster;
  private static ConnectorServer connector1;
  private static ConnectorServer connector2;

  @BeforeAll
  static void cluster(TestCluster testCluster) {
    cluster = testCluster;
    connector1 = testCluster.cluster().connectors().get(0);
    connector2 = testCluster.cluster().connectors().get(1);
  }

  @Test
  void strangersBecomeFriends_chat_andAfterBobBlocksAliceHerNextMessageIsRefused()
      throws Exception {
    try (ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
        ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2);
        ChatUser carol = ChatUser.connect(cluster.apiUrl(), "carol", connector2)) {
      assertRefused(alice.client.sendText(bob.id(), "hello stranger"), ErrorCode.NOT_FRIENDS);

      FriendRequest request = alice.api.sendFriendRequest(alice.token, bob.id(), "it's Alice");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !bob.noticesOf(NoticeType.FRIEND_REQUEST).isEmpty());
      Notice asked = bob.noticesOf(NoticeType.FRIEND_REQUEST).get(0);
      assertThat(asked.getFromUserId()).isEqualTo(alice.id());
      assertThat(asked.getFriendRequestId()).isEqualTo(request.id());
      assertThat(asked.getText()).isEqualTo("it's Alice");

      bob.api.acceptFriendRequest(bob.token, request.id());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !alice.noticesOf(NoticeType.FRIEND_ACCEPTED).isEmpty());
      assertThat(alice.noticesOf(NoticeType.FRIEND_ACCEPTED).get(0).getFromUserId())
          .isEqualTo(bob.id());

      AckMsg sent = alice.client.sendText(bob.id(), "friends now").get(20, TimeUnit.SECONDS);
      bob.awaitMessages(1);
      assertThat(bob.messages.get(0).getId()).isEqualTo(sent.getAckMsgId());

      bob.api.block(bob.token, alice.id());

      assertRefused(alice.client.sendText(bob.id(), "are you there?"), ErrorCode.BLOCKED);
      // Bob hears from Carol after the refused message, so anything of Alice's would be in by now.
      carol.befriend(bob);
      AckMsg fromCarol = carol.client.sendText(bob.id(), "hi Bob").get(20, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> bob.messages.stream().anyMatch(m -> m.getId() == fromCarol.getAckMsgId()));
      assertThat(bob.messages)
          .extracting(ChatMsg::getMsgBody)
          .containsExactly("friends now", "hi Bob");
    }
  }

  @Test
  void unfriending_takesEffectForTheVeryNextMessage() throws Exception {
    try (ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
        ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2)) {
      alice.befriend(bob);
      alice.client.sendText(bob.id(), "first").get(20, TimeUnit.SECONDS);

      bob.api.removeFriend(bob.token, alice.id());

      assertRefused(alice.client.sendText(bob.id(), "second"), ErrorCode.NOT_FRIENDS);
    }
  }

  @Test
  void presenceNotices_arriveWhenAFriendLogsInAndOut() throws Exception {
    try (ChatUser alice = ChatUser.connect(cluster.apiUrl(), "alice", connector1);
        ChatUser bob = ChatUser.connect(cluster.apiUrl(), "bob", connector2)) {
      alice.befriend(bob);

      bob.close();
      await().atMost(Duration.ofSeconds(20)).until(() -> hasPresence(alice, bob.id(), false));

      try (ChatUser bobAgain = bob.connectAgain(connector1)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> hasPresence(alice, bobAgain.id(), true));
      }
    }
  }

  private static boolean hasPresence(ChatUser watcher, long userId, boolean online) {
    return watcher.noticesOf(NoticeType.PRESENCE).stream()
        .anyMatch(n -> n.getFromUserId() == userId && n.getOnline() == online);
  }

  private static void assertRefused(CompletableFuture<AckMsg> send, ErrorCode code) {
    assertThatThrownBy(() -> send.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ServerErrorException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
