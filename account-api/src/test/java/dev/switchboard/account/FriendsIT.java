package dev.switchboard.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.account.ApiClient.Response;
import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.config.Env;
import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.Registration;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.common.net.Ports;
import dev.switchboard.connector.ConnectorConfig;
import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.UserStatusGrpc;
import dev.switchboard.userstatus.UserStatusConfig;
import dev.switchboard.userstatus.UserStatusServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Profiles, friend requests, friends and blocks on the real account-api (real MariaDB, ZooKeeper,
 * user-status on Redis, a connector), driven over HTTP and, for notices, over a raw client TCP
 * connection. Small limits (2 friends, 2 pending requests, 5 lookups a minute) keep the limit tests
 * short. A {@link RecordingTransfer} registered in ZooKeeper observes the invalidations.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FriendsIT {
  private static final String PASSWORD = "correct-horse-42";
  private static final int MAX_FRIENDS = 2;
  private static final int MAX_PENDING = 2;
  private static final int LOOKUPS_PER_MINUTE = 5;

  private final byte[] secret = TokenService.randomSecret();
  private EmbeddedMariaDb db;
  private String jdbcUrl;
  private String zkConnect;
  private CuratorFramework zk;
  private Discovery discovery;
  private UserStatusServer userStatus;
  private ManagedChannel userStatusChannel;
  private RecordingTransfer transfer;
  private AccountApiServer server;
  private ConnectorServer connector;
  private ApiClient api;

  /** A registered, logged-in user. */
  private record User(long id, String name, String token) {}

  @BeforeAll
  void start(EmbeddedMariaDb db, EmbeddedZooKeeper zooKeeper, EmbeddedRedis redis)
      throws Exception {
    this.db = db;
    zkConnect = zooKeeper.connectString();
    jdbcUrl = db.jdbcUrl("friends_it_" + UUID.randomUUID().toString().substring(0, 8));
    zk = ZooKeeperClients.connect(zkConnect, Duration.ofSeconds(15));
    discovery = new Discovery(zk);

    userStatus =
        new UserStatusServer(
            UserStatusConfig.fromEnv(
                Env.of(
                    Map.of(
                        "IM_REDIS_URL",
                        redis.url(),
                        "IM_ZK_CONNECT",
                        zkConnect,
                        "IM_METRICS_PORT",
                        "-1"))));
    userStatus.start();
    userStatusChannel =
        NettyChannelBuilder.forAddress("127.0.0.1", userStatus.port()).usePlaintext().build();
    transfer = RecordingTransfer.start(discovery, "transfer-rec-" + suffix());

    Map<String, String> env = new HashMap<>();
    env.put("IM_HTTP_PORT", "0");
    env.put("IM_MYSQL_URL", jdbcUrl);
    env.put("IM_MYSQL_USER", db.user());
    env.put("IM_MYSQL_PASSWORD", db.password());
    env.put("IM_ZK_CONNECT", zkConnect);
    env.put("IM_JWT_SECRET", TokenService.encodeSecret(secret));
    env.put("IM_TOKEN_TTL", "1h");
    env.put("IM_GRPC_DEADLINE", "2s");
    env.put("IM_MAX_FRIENDS", Integer.toString(MAX_FRIENDS));
    env.put("IM_MAX_PENDING_REQUESTS", Integer.toString(MAX_PENDING));
    env.put("IM_USER_LOOKUP_RATE_PER_MINUTE", Integer.toString(LOOKUPS_PER_MINUTE));
    server = new AccountApiServer(AccountApiConfig.fromEnv(Env.of(env)));
    server.start();
    api = new ApiClient(server.port());

    connector =
        new ConnectorServer(
            ConnectorConfig.fromEnv(
                Env.of(
                    Map.of(
                        "IM_CONNECTOR_ID",
                        "conn-friends-" + suffix(),
                        "IM_ZK_CONNECT",
                        zkConnect,
                        "IM_JWT_SECRET",
                        TokenService.encodeSecret(secret),
                        "IM_METRICS_PORT",
                        "0"))));
    connector.start();

    // Discovery caches fill asynchronously: wait until account-api reaches the recording transfer
    // (unblocking is idempotent and always invalidates) and hands out the connector.
    User probe = newUser("probe_");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              api.delete("/api/v1/blocks/" + (probe.id() + 1), probe.token());
              return transfer.invalidated(probe.id(), probe.id() + 1);
            });
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (connector != null) {
      connector.close();
    }
    if (transfer != null) {
      transfer.close();
    }
    if (userStatusChannel != null) {
      userStatusChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (userStatus != null) {
      userStatus.close();
    }
    if (discovery != null) {
      discovery.close();
    }
    if (zk != null) {
      zk.close();
    }
  }

  // --- sending requests ----------------------------------------------------------------------

  @Test
  void requestToSelf_is400InvalidFriendRequest() {
    User alice = newUser("self_");

    Response response = sendRequest(alice, alice.id(), null);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.code()).isEqualTo("invalid-friend-request");
  }

  @Test
  void requestToUnknownUser_is404UserNotFound() {
    User alice = newUser("lonely_");

    Response response = sendRequest(alice, 987_654_321L, "hi");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.code()).isEqualTo("user-not-found");
  }

  @Test
  void newRequest_is201AndEveryConnectedDeviceOfTheRecipientGetsAFriendRequestNotice()
      throws Exception {
    User alice = newUser("asker_");
    User bob = newUser("asked_");
    try (DeviceConnection bobsPhone = connect(bob, "phone");
        DeviceConnection bobsLaptop = connect(bob, "laptop")) {
      long before = Instant.now().toEpochMilli();

      Response response = sendRequest(alice, bob.id(), "hello bob");

      assertThat(response.status()).as(response.body()).isEqualTo(201);
      JsonNode request = response.json();
      long requestId = request.path("id").asLong();
      assertThat(request.path("fromUserId").asLong()).isEqualTo(alice.id());
      assertThat(request.path("toUserId").asLong()).isEqualTo(bob.id());
      assertThat(request.path("message").asString()).isEqualTo("hello bob");
      assertThat(request.path("status").asString()).isEqualTo("PENDING");
      assertThat(Instant.parse(request.path("createdAt").asString())).isNotNull();
      assertThat(response.raw().headers().firstValue("Location"))
          .hasValue("/api/v1/friend-requests/" + requestId);

      Notice notice = bobsPhone.nextNotice();
      assertThat(notice.getType()).isEqualTo(NoticeType.FRIEND_REQUEST);
      assertThat(notice.getFromUserId()).isEqualTo(alice.id());
      assertThat(notice.getFriendRequestId()).isEqualTo(requestId);
      assertThat(notice.getText()).isEqualTo("hello bob");
      assertThat(notice.getAtMs()).isGreaterThanOrEqualTo(before);
      assertThat(bobsLaptop.nextNotice()).isEqualTo(notice);
    }
    Response incoming = api.get("/api/v1/friend-requests?direction=in", bob.token());
    assertThat(incoming.json().path("requests").size()).isEqualTo(1);
    assertThat(incoming.json().path("requests").get(0).path("fromUserId").asLong())
        .isEqualTo(alice.id());
  }

  @Test
  void repeatedRequest_updatesTheFirstAndAnswers200() throws Exception {
    User alice = newUser("again_");
    User bob = newUser("againto_");

    Response first = sendRequest(alice, bob.id(), "first");
    Response second = sendRequest(alice, bob.id(), "second");

    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(second.json().path("id").asLong()).isEqualTo(first.json().path("id").asLong());
    assertThat(second.json().path("message").asString()).isEqualTo("second");
    assertThat(second.json().path("status").asString()).isEqualTo("PENDING");
    JsonNode outgoing = api.get("/api/v1/friend-requests?direction=out", alice.token()).json();
    assertThat(outgoing.path("requests").size()).isEqualTo(1);
    assertThat(outgoing.path("requests").get(0).path("message").asString()).isEqualTo("second");
    assertThat(
            count(
                "SELECT COUNT(*) FROM friend_request WHERE from_user_id = "
                    + alice.id()
                    + " AND to_user_id = "
                    + bob.id()))
        .isEqualTo(1);
  }

  @Test
  void crossedRequests_becomeAFriendshipAndTheFirstRequesterIsNotified() throws Exception {
    User alice = newUser("cross_a_");
    User bob = newUser("cross_b_");
    long requestId = sendRequest(alice, bob.id(), "hi").json().path("id").asLong();
    try (DeviceConnection alicesLaptop = connect(alice, "laptop")) {

      Response crossed = sendRequest(bob, alice.id(), "hi too");

      assertThat(crossed.status()).as(crossed.body()).isEqualTo(200);
      assertThat(crossed.json().path("id").asLong()).isEqualTo(requestId);
      assertThat(crossed.json().path("status").asString()).isEqualTo("ACCEPTED");
      assertThat(crossed.json().path("fromUserId").asLong()).isEqualTo(alice.id());
      // Invalidated before the answer, not eventually.
      assertThat(transfer.invalidated(alice.id(), bob.id())).isTrue();
      Notice notice = alicesLaptop.nextNotice();
      assertThat(notice.getType()).isEqualTo(NoticeType.FRIEND_ACCEPTED);
      assertThat(notice.getFromUserId()).isEqualTo(bob.id());
      assertThat(notice.getFriendRequestId()).isEqualTo(requestId);
    }
    assertThat(friendIds(alice)).containsExactly(bob.id());
    assertThat(friendIds(bob)).containsExactly(alice.id());
    assertThat(pending(bob, "in")).isEmpty();
    assertThat(pending(bob, "out")).isEmpty();
  }

  @Test
  void concurrentCrossedRequests_endInExactlyOneFriendship() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 3; round++) {
        User alice = newUser("race_a_");
        User bob = newUser("race_b_");
        Future<Response> one = pool.submit(() -> sendRequest(alice, bob.id(), null));
        Future<Response> two = pool.submit(() -> sendRequest(bob, alice.id(), null));

        List<Integer> statuses =
            List.of(one.get(30, TimeUnit.SECONDS).status(), two.get(30, TimeUnit.SECONDS).status());

        assertThat(statuses).containsExactlyInAnyOrder(201, 200);
        assertThat(friendshipRows(alice.id(), bob.id())).isEqualTo(2);
        assertThat(
                count(
                    "SELECT COUNT(*) FROM friend_request WHERE status = 'PENDING' AND"
                        + " from_user_id IN ("
                        + alice.id()
                        + ","
                        + bob.id()
                        + ")"))
            .isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void alreadyFriends_is409() {
    User alice = newUser("pals_a_");
    User bob = newUser("pals_b_");
    befriend(alice, bob);

    Response again = sendRequest(alice, bob.id(), null);

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("already-friends");
  }

  // --- answering requests --------------------------------------------------------------------

  @Test
  void accept_makesBothRowsNotifiesTheRequesterAndInvalidatesTransferBeforeAnswering()
      throws Exception {
    User alice = newUser("acc_a_");
    User bob = newUser("acc_b_");
    long requestId = sendRequest(alice, bob.id(), null).json().path("id").asLong();
    try (DeviceConnection alicesPhone = connect(alice, "phone")) {

      Response accepted =
          api.post("/api/v1/friend-requests/" + requestId + "/accept", "", bob.token());

      assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
      assertThat(accepted.json().path("status").asString()).isEqualTo("ACCEPTED");
      assertThat(transfer.invalidated(alice.id(), bob.id())).isTrue();
      assertThat(friendshipRows(alice.id(), bob.id())).isEqualTo(2);
      Notice notice = alicesPhone.nextNotice();
      assertThat(notice.getType()).isEqualTo(NoticeType.FRIEND_ACCEPTED);
      assertThat(notice.getFromUserId()).isEqualTo(bob.id());
    }
    Response twice = api.post("/api/v1/friend-requests/" + requestId + "/accept", "", bob.token());
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.code()).isEqualTo("friend-request-not-pending");
  }

  @Test
  void onlyTheRecipientMayAcceptOrReject_andOnlyTheSenderMayCancel() {
    User alice = newUser("own_a_");
    User bob = newUser("own_b_");
    User mallory = newUser("own_m_");
    long requestId = sendRequest(alice, bob.id(), null).json().path("id").asLong();
    String path = "/api/v1/friend-requests/" + requestId;

    Response thirdAccepts = api.post(path + "/accept", "", mallory.token());
    Response thirdRejects = api.post(path + "/reject", "", mallory.token());
    Response senderAccepts = api.post(path + "/accept", "", alice.token());
    Response recipientCancels = api.post(path + "/cancel", "", bob.token());
    Response unknown = api.post("/api/v1/friend-requests/999999999/accept", "", bob.token());

    for (Response forbidden :
        List.of(thirdAccepts, thirdRejects, senderAccepts, recipientCancels)) {
      assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
      assertThat(forbidden.code()).isEqualTo("not-your-request");
    }
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("friend-request-not-found");
    assertThat(friendIds(bob)).isEmpty();
    assertThat(pending(bob, "in")).hasSize(1);
  }

  @Test
  void rejectedRequest_isClosed_andAskingAgainMakesItPendingAgain() {
    User alice = newUser("rej_a_");
    User bob = newUser("rej_b_");
    long requestId = sendRequest(alice, bob.id(), "please").json().path("id").asLong();

    Response rejected =
        api.post("/api/v1/friend-requests/" + requestId + "/reject", "", bob.token());
    Response rejectedAgain =
        api.post("/api/v1/friend-requests/" + requestId + "/reject", "", bob.token());

    assertThat(rejected.status()).isEqualTo(200);
    assertThat(rejected.json().path("status").asString()).isEqualTo("REJECTED");
    assertThat(rejectedAgain.status()).isEqualTo(409);
    assertThat(rejectedAgain.code()).isEqualTo("friend-request-not-pending");
    assertThat(pending(bob, "in")).isEmpty();

    Response askAgain = sendRequest(alice, bob.id(), "pretty please");
    assertThat(askAgain.status()).isEqualTo(200);
    assertThat(askAgain.json().path("id").asLong()).isEqualTo(requestId);
    assertThat(askAgain.json().path("status").asString()).isEqualTo("PENDING");
    assertThat(pending(bob, "in")).hasSize(1);
  }

  @Test
  void cancel_byTheSenderClosesTheRequest() {
    User alice = newUser("can_a_");
    User bob = newUser("can_b_");
    long requestId = sendRequest(alice, bob.id(), null).json().path("id").asLong();

    Response cancelled =
        api.post("/api/v1/friend-requests/" + requestId + "/cancel", "", alice.token());

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().path("status").asString()).isEqualTo("CANCELLED");
    assertThat(pending(bob, "in")).isEmpty();
    assertThat(pending(alice, "out")).isEmpty();
    Response acceptCancelled =
        api.post("/api/v1/friend-requests/" + requestId + "/accept", "", bob.token());
    assertThat(acceptCancelled.status()).isEqualTo(409);
  }

  @Test
  void pendingLists_areNewestFirstPerDirection() {
    User bob = newUser("popular_");
    User first = newUser("fan1_");
    User second = newUser("fan2_");
    sendRequest(first, bob.id(), null);
    sendRequest(second, bob.id(), null);

    List<Long> from = new ArrayList<>();
    pending(bob, "in").forEach(request -> from.add(request.path("fromUserId").asLong()));

    assertThat(from).containsExactly(second.id(), first.id());
    assertThat(pending(first, "out")).hasSize(1);
    assertThat(pending(first, "in")).isEmpty();
    Response badDirection = api.get("/api/v1/friend-requests?direction=up", bob.token());
    assertThat(badDirection.status()).isEqualTo(400);
  }

  // --- limits --------------------------------------------------------------------------------

  @Test
  void pendingLimit_is409PendingLimitReached_butUpdatingAPendingRequestStillWorks() {
    User alice = newUser("eager_");
    List<User> others = new ArrayList<>();
    for (int i = 0; i <= MAX_PENDING; i++) {
      others.add(newUser("target" + i + "_"));
    }
    for (int i = 0; i < MAX_PENDING; i++) {
      assertThat(sendRequest(alice, others.get(i).id(), null).status()).isEqualTo(201);
    }

    Response overLimit = sendRequest(alice, others.get(MAX_PENDING).id(), null);
    Response update = sendRequest(alice, others.get(0).id(), "still there?");

    assertThat(overLimit.status()).isEqualTo(409);
    assertThat(overLimit.code()).isEqualTo("pending-limit-reached");
    assertThat(update.status()).isEqualTo(200);
  }

  @Test
  void friendLimit_refusesNewRequestsAndAcceptsBeyondIt() {
    User alice = newUser("full_");
    for (int i = 0; i < MAX_FRIENDS; i++) {
      befriend(alice, newUser("friend" + i + "_"));
    }
    User dora = newUser("dora_");

    Response aliceAsks = sendRequest(alice, dora.id(), null);
    Response doraAsks = sendRequest(dora, alice.id(), null);
    Response aliceAccepts =
        api.post(
            "/api/v1/friend-requests/" + doraAsks.json().path("id").asLong() + "/accept",
            "",
            alice.token());

    assertThat(aliceAsks.status()).isEqualTo(409);
    assertThat(aliceAsks.code()).isEqualTo("friend-limit-reached");
    assertThat(doraAsks.status()).isEqualTo(201);
    assertThat(aliceAccepts.status()).isEqualTo(409);
    assertThat(aliceAccepts.code()).isEqualTo("friend-limit-reached");
    assertThat(friendIds(alice)).hasSize(MAX_FRIENDS).doesNotContain(dora.id());
    assertThat(pending(alice, "in")).hasSize(1);
  }

  // --- friends -------------------------------------------------------------------------------

  @Test
  void friendList_showsProfilesOnlineStateAndSince() {
    User alice = newUser("lister_");
    User bob = newUser("online_");
    User carol = newUser("offline_");
    Instant before = Instant.now().minusSeconds(5);
    befriend(alice, bob);
    befriend(alice, carol);
    api.patch("/api/v1/users/me", "{\"avatarUrl\":\"https://img.example/bob.png\"}", bob.token());
    online(bob.id(), "phone");

    Response response = api.get("/api/v1/friends", alice.token());

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Map<Long, JsonNode> friends = new HashMap<>();
    response.json().path("friends").forEach(f -> friends.put(f.path("userId").asLong(), f));
    assertThat(friends).containsOnlyKeys(bob.id(), carol.id());
    JsonNode b = friends.get(bob.id());
    assertThat(b.path("username").asString()).isEqualTo(bob.name());
    assertThat(b.path("nickname").asString()).isEqualTo(bob.name());
    assertThat(b.path("avatarUrl").asString()).isEqualTo("https://img.example/bob.png");
    assertThat(b.path("online").asBoolean()).isTrue();
    assertThat(Instant.parse(b.path("since").asString())).isAfter(before);
    assertThat(friends.get(carol.id()).path("online").asBoolean()).isFalse();
    assertThat(friends.get(carol.id()).path("avatarUrl").isNull()).isTrue();
  }

  @Test
  void unfriend_deletesBothRowsAndInvalidates_thenIs404NotFriends() {
    User alice = newUser("ex_a_");
    User bob = newUser("ex_b_");
    befriend(alice, bob);
    long invalidationsBefore = transfer.invalidationsOf(alice.id(), bob.id());

    Response unfriend = api.delete("/api/v1/friends/" + bob.id(), alice.token());

    assertThat(unfriend.status()).isEqualTo(204);
    assertThat(transfer.invalidationsOf(alice.id(), bob.id())).isGreaterThan(invalidationsBefore);
    assertThat(friendshipRows(alice.id(), bob.id())).isZero();
    assertThat(friendIds(bob)).isEmpty();
    Response again = api.delete("/api/v1/friends/" + alice.id(), bob.token());
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.code()).isEqualTo("not-friends");
    // Friends again by asking again: the old ACCEPTED row is reused.
    assertThat(sendRequest(alice, bob.id(), null).status()).isEqualTo(200);
  }

  // --- blocks --------------------------------------------------------------------------------

  @Test
  void block_endsTheFriendshipCancelsRequestsBothWaysAndRefusesNewOnes() {
    User alice = newUser("blocker_");
    User bob = newUser("blocked_");
    User carol = newUser("pest_");
    befriend(alice, bob);
    sendRequest(carol, alice.id(), null);
    sendRequest(alice, carol.id(), null); // crossed: friends; then make a fresh pending one
    api.delete("/api/v1/friends/" + carol.id(), alice.token());
    sendRequest(carol, alice.id(), "let's be friends again");
    long invalidationsBefore = transfer.invalidationsOf(alice.id(), bob.id());

    Response blockBob = api.put("/api/v1/blocks/" + bob.id(), alice.token());
    Response blockBobAgain = api.put("/api/v1/blocks/" + bob.id(), alice.token());
    Response blockCarol = api.put("/api/v1/blocks/" + carol.id(), alice.token());

    assertThat(blockBob.status()).isEqualTo(204);
    assertThat(blockBobAgain.status()).isEqualTo(204);
    assertThat(blockCarol.status()).isEqualTo(204);
    assertThat(transfer.invalidationsOf(alice.id(), bob.id())).isGreaterThan(invalidationsBefore);
    assertThat(friendshipRows(alice.id(), bob.id())).isZero();
    assertThat(pending(alice, "in")).isEmpty();
    assertThat(pending(carol, "out")).isEmpty();

    Response bobAsks = sendRequest(bob, alice.id(), null);
    Response aliceAsks = sendRequest(alice, bob.id(), null);
    assertThat(bobAsks.status()).isEqualTo(403);
    assertThat(bobAsks.code()).isEqualTo("blocked");
    assertThat(aliceAsks.status()).isEqualTo(403);
    assertThat(aliceAsks.code()).isEqualTo("blocked");

    List<Long> blocked = new ArrayList<>();
    api.get("/api/v1/blocks", alice.token())
        .json()
        .path("blocked")
        .forEach(user -> blocked.add(user.path("userId").asLong()));
    assertThat(blocked).containsExactlyInAnyOrder(bob.id(), carol.id());

    assertThat(api.delete("/api/v1/blocks/" + bob.id(), alice.token()).status()).isEqualTo(204);
    assertThat(api.delete("/api/v1/blocks/" + bob.id(), alice.token()).status()).isEqualTo(204);
    assertThat(sendRequest(bob, alice.id(), null).status()).isEqualTo(201);
  }

  @Test
  void blockUnknownUserOrSelf_isRefused() {
    User alice = newUser("strict_");

    Response unknown = api.put("/api/v1/blocks/987654321", alice.token());
    Response self = api.put("/api/v1/blocks/" + alice.id(), alice.token());

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("user-not-found");
    assertThat(self.status()).isEqualTo(400);
    assertThat(self.code()).isEqualTo("validation-failed");
  }

  // --- profiles and lookups ------------------------------------------------------------------

  @Test
  void aUserWhoBlockedTheCaller_isAnswered404LikeAnUnknownUser() {
    User alice = newUser("hider_");
    User bob = newUser("seeker_");
    api.put("/api/v1/blocks/" + bob.id(), alice.token());
    String ghost = "ghost_" + suffix();

    Response hiddenByName = api.get("/api/v1/users?username=" + alice.name(), bob.token());
    Response missByName = api.get("/api/v1/users?username=" + ghost, bob.token());
    Response hiddenById = api.get("/api/v1/users/" + alice.id(), bob.token());
    Response missById = api.get("/api/v1/users/987654321", bob.token());

    assertThat(hiddenByName.status()).isEqualTo(missByName.status()).isEqualTo(404);
    assertThat(withoutDetail(hiddenByName)).isEqualTo(withoutDetail(missByName));
    assertThat(hiddenByName.json().path("detail").asString())
        .isEqualTo(missByName.json().path("detail").asString().replace(ghost, alice.name()));
    assertThat(hiddenById.status()).isEqualTo(missById.status()).isEqualTo(404);
    assertThat(withoutDetail(hiddenById)).isEqualTo(withoutDetail(missById));
    // Others still see alice, and alice still sees bob.
    User carol = newUser("bystander_");
    assertThat(api.get("/api/v1/users/" + alice.id(), carol.token()).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/users/" + bob.id(), alice.token()).status()).isEqualTo(200);
  }

  @Test
  void usernameLookups_areRateLimitedPerCallerWith429AndRetryAfter() {
    User alice = newUser("curious_");
    User bob = newUser("patient_");
    for (int i = 0; i < LOOKUPS_PER_MINUTE; i++) {
      Response response = api.get("/api/v1/users?username=maybe_" + i, alice.token());
      assertThat(response.status()).isEqualTo(404);
    }

    Response limited = api.get("/api/v1/users?username=" + bob.name(), alice.token());
    Response otherCaller = api.get("/api/v1/users?username=" + alice.name(), bob.token());

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.contentType()).startsWith("application/problem+json");
    assertThat(limited.code()).isEqualTo("rate-limited");
    assertThat(limited.raw().headers().firstValue("Retry-After"))
        .hasValueSatisfying(
            seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60 / LOOKUPS_PER_MINUTE));
    assertThat(otherCaller.status()).isEqualTo(200);
    assertThat(api.get("/api/v1/users/" + bob.id(), alice.token()).status())
        .as("lookups by id are not limited")
        .isEqualTo(200);
  }

  @Test
  void profile_canBeReadAndPatchedAndOthersSeeTheChange() {
    User alice = newUser("vain_");
    User bob = newUser("viewer_");

    Response me = api.get("/api/v1/users/me", alice.token());
    Response patched =
        api.patch(
            "/api/v1/users/me",
            "{\"nickname\":\"  Alice W.  \",\"avatarUrl\":\"https://img.example/a.png?s=64\"}",
            alice.token());
    Response seenByBob = api.get("/api/v1/users/" + alice.id(), bob.token());
    Response nicknameOnly = api.patch("/api/v1/users/me", "{\"nickname\":\"Al\"}", alice.token());
    Response avatarRemoved = api.patch("/api/v1/users/me", "{\"avatarUrl\":\"\"}", alice.token());

    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().path("userId").asLong()).isEqualTo(alice.id());
    assertThat(me.json().path("avatarUrl").isNull()).isTrue();
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().path("nickname").asString()).isEqualTo("Alice W.");
    assertThat(seenByBob.json().path("nickname").asString()).isEqualTo("Alice W.");
    assertThat(seenByBob.json().path("avatarUrl").asString())
        .isEqualTo("https://img.example/a.png?s=64");
    assertThat(nicknameOnly.json().path("avatarUrl").asString())
        .isEqualTo("https://img.example/a.png?s=64");
    assertThat(avatarRemoved.json().path("nickname").asString()).isEqualTo("Al");
    assertThat(avatarRemoved.json().path("avatarUrl").isNull()).isTrue();
  }

  @Test
  void profilePatchWithInvalidValues_is400AndChangesNothing() {
    User alice = newUser("careful_");
    for (String body :
        List.of(
            "{\"nickname\":\"\"}",
            "{\"nickname\":\"" + "n".repeat(65) + "\"}",
            "{\"avatarUrl\":\"javascript:alert(1)\"}",
            "{\"avatarUrl\":\"https://img.example/" + "a".repeat(500) + "\"}",
            "{\"nickname\":\"ok\",\"avatarUrl\":\"not a url\"}")) {
      Response response = api.patch("/api/v1/users/me", body, alice.token());
      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(response.code()).isEqualTo("validation-failed");
    }
    assertThat(api.get("/api/v1/users/me", alice.token()).json().path("nickname").asString())
        .isEqualTo(alice.name());
  }

  @Test
  void everyNewEndpoint_withoutToken_is401() {
    List<Response> responses =
        List.of(
            api.get("/api/v1/users/me"),
            api.patch("/api/v1/users/me", "{\"nickname\":\"x\"}", null),
            api.post("/api/v1/friend-requests", "{\"toUserId\":1}", null),
            api.get("/api/v1/friend-requests"),
            api.post("/api/v1/friend-requests/1/accept", "", null),
            api.post("/api/v1/friend-requests/1/reject", "", null),
            api.post("/api/v1/friend-requests/1/cancel", "", null),
            api.get("/api/v1/friends"),
            api.delete("/api/v1/friends/1", null),
            api.put("/api/v1/blocks/1", null),
            api.delete("/api/v1/blocks/1", null),
            api.get("/api/v1/blocks"));
    for (Response response : responses) {
      assertThat(response.status()).as(response.body()).isEqualTo(401);
      assertThat(response.code()).isEqualTo("unauthorized");
    }
  }

  // --- side effects and schema ---------------------------------------------------------------

  @Test
  void anUnreachableTransferInstance_isSkippedAndCounted_andTheCallStillSucceeds()
      throws Exception {
    User alice = newUser("resilient_");
    User bob = newUser("other_");
    int deadPort = Ports.freePort();
    try (Registration dead =
        discovery.register(
            new ServiceEndpoint(
                ServiceNames.TRANSFER,
                "transfer-dead-" + suffix(),
                "127.0.0.1",
                deadPort,
                Map.of()))) {
      double failedBefore = metric("account_relations_invalidations_total", "failed");
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                Response block = api.put("/api/v1/blocks/" + bob.id(), alice.token());
                assertThat(block.status()).isEqualTo(204);
                assertThat(metric("account_relations_invalidations_total", "failed"))
                    .isGreaterThan(failedBefore);
              });
      long reached = transfer.invalidationsOf(alice.id(), bob.id());

      Response unblock = api.delete("/api/v1/blocks/" + bob.id(), alice.token());

      assertThat(unblock.status()).isEqualTo(204);
      assertThat(transfer.invalidationsOf(alice.id(), bob.id())).isGreaterThan(reached);
    }
  }

  @Test
  void openApiDocument_describesTheNewEndpoints() {
    JsonNode paths = api.get("/v3/api-docs").json().path("paths");

    assertThat(paths.has("/api/v1/users/me")).isTrue();
    assertThat(paths.has("/api/v1/friend-requests")).isTrue();
    assertThat(paths.has("/api/v1/friend-requests/{id}/accept")).isTrue();
    assertThat(paths.has("/api/v1/friends/{userId}")).isTrue();
    assertThat(paths.has("/api/v1/blocks")).isTrue();
  }

  @Test
  void relationTables_haveTheColumnsTransferReads() throws Exception {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, db.user(), db.password());
        Statement statement = connection.createStatement()) {
      statement.executeQuery("SELECT user_id, friend_id, created_at FROM friendship LIMIT 0");
      statement.executeQuery("SELECT user_id, blocked_user_id, created_at FROM user_block LIMIT 0");
      statement.executeQuery(
          "SELECT id, from_user_id, to_user_id, message, status, created_at, updated_at"
              + " FROM friend_request LIMIT 0");
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT MAX(version) FROM flyway_history_account WHERE success = 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("3");
      }
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static String suffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  /** A registered user with a token for device "d1". */
  private User newUser(String prefix) {
    String name = prefix + suffix();
    Response registered = api.register(name, PASSWORD);
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    Response login =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> api.login(name, PASSWORD, "d1"), response -> response.status() != 503);
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    return new User(
        registered.json().path("userId").asLong(), name, login.json().path("token").asString());
  }

  private Response sendRequest(User from, long toUserId, String message) {
    String body =
        message == null
            ? "{\"toUserId\":" + toUserId + "}"
            : "{\"toUserId\":" + toUserId + ",\"message\":\"" + message + "\"}";
    return api.post("/api/v1/friend-requests", body, from.token());
  }

  private void befriend(User a, User b) {
    Response asked = sendRequest(a, b.id(), null);
    assertThat(asked.status()).as(asked.body()).isEqualTo(201);
    Response accepted =
        api.post(
            "/api/v1/friend-requests/" + asked.json().path("id").asLong() + "/accept",
            "",
            b.token());
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
  }

  private List<JsonNode> pending(User user, String direction) {
    Response response = api.get("/api/v1/friend-requests?direction=" + direction, user.token());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    List<JsonNode> requests = new ArrayList<>();
    response.json().path("requests").forEach(requests::add);
    return requests;
  }

  private List<Long> friendIds(User user) {
    Response response = api.get("/api/v1/friends", user.token());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    response.json().path("friends").forEach(f -> ids.add(f.path("userId").asLong()));
    return ids;
  }

  /** A device of the user connected to the connector, once user-status knows its route. */
  private DeviceConnection connect(User user, String deviceId) throws Exception {
    // Tokens are per device: the connector accepts a token only for the device it was issued to.
    Response login = api.login(user.name(), PASSWORD, deviceId);
    assertThat(login.status()).as(login.body()).isEqualTo(200);
    DeviceConnection device =
        DeviceConnection.login(
            connector.clientPort(), login.json().path("token").asString(), deviceId);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> routes(user.id()).stream().anyMatch(r -> r.getDeviceId().equals(deviceId)));
    return device;
  }

  private List<SessionRoute> routes(long userId) {
    return UserStatusGrpc.newBlockingStub(userStatusChannel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .getRoutes(GetRoutesRequest.newBuilder().addUserIds(userId).build())
        .getRoutesList();
  }

  /** Registers a session route as a connector would, without a connection. */
  private void online(long userId, String deviceId) {
    UserStatusGrpc.newBlockingStub(userStatusChannel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .online(
            OnlineRequest.newBuilder()
                .setSession(
                    SessionRoute.newBuilder()
                        .setUserId(userId)
                        .setDeviceId(deviceId)
                        .setConnectorId(connector.id())
                        .setSessionId(UUID.randomUUID().toString()))
                .build());
  }

  private static Map<String, String> withoutDetail(Response response) {
    Map<String, String> fields = new HashMap<>();
    response
        .json()
        .properties()
        .forEach(
            entry -> {
              if (!entry.getKey().equals("detail") && !entry.getKey().equals("instance")) {
                fields.put(entry.getKey(), entry.getValue().toString());
              }
            });
    return fields;
  }

  private long friendshipRows(long a, long b) {
    return count(
        "SELECT COUNT(*) FROM friendship WHERE (user_id = "
            + a
            + " AND friend_id = "
            + b
            + ") OR (user_id = "
            + b
            + " AND friend_id = "
            + a
            + ")");
  }

  private long count(String query) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, db.user(), db.password());
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(query)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(query, e);
    }
  }

  /** A counter from the Prometheus endpoint, 0 when it was never incremented. */
  private double metric(String name, String outcome) {
    String body = api.get("/actuator/prometheus").body();
    Matcher matcher =
        Pattern.compile(
                "(?m)^"
                    + Pattern.quote(name)
                    + "\\{[^}]*outcome=\""
                    + Pattern.quote(outcome)
                    + "\"[^}]*\\} ([0-9.eE+-]+)$")
            .matcher(body);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
