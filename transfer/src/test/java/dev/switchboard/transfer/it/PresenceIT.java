package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.Delivery;
import dev.switchboard.proto.internal.InvalidateRelationsRequest;
import dev.switchboard.proto.internal.OfflineRequest;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.PublishPresenceRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.UserPair;
import dev.switchboard.proto.internal.UserStatusGrpc;
import dev.switchboard.userstatus.UserStatusConfig;
import dev.switchboard.userstatus.UserStatusServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PublishPresence against the real user-status (on Redis) and friendship rows in MariaDB: the
 * notices transfer pushes are recorded by a connector endpoint registered in ZooKeeper, which
 * stands where the real connectors would be and records every Deliver it is sent.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresenceIT {
  private static final String CONNECTOR_ID = "conn-presence-" + UUID.randomUUID();
  private static final long ALICE = 1;
  private static final long BOB = 2;
  private static final long CAROL = 3;
  private static final long DAVE = 4;

  private final BlockingQueue<DeliverRequest> delivered = new LinkedBlockingQueue<>();
  private TestDatabase db;
  private UserStatusServer userStatus;
  private ManagedChannel userStatusChannel;
  private CuratorFramework zk;
  private Discovery discovery;
  private Server connector;
  private TransferFixture transfer;

  @BeforeAll
  void start(
      EmbeddedMariaDb mariaDb,
      EmbeddedKafka kafka,
      EmbeddedZooKeeper zooKeeper,
      EmbeddedRedis redis)
      throws Exception {
    db = TestDatabase.create(mariaDb, "transfer_presence");
    db.createRelationTables();
    db.befriend(ALICE, BOB);
    db.befriend(ALICE, CAROL);

    userStatus =
        new UserStatusServer(UserStatusConfig.defaults(redis.url(), zooKeeper.connectString()));
    userStatus.start();
    userStatusChannel =
        ManagedChannelBuilder.forAddress("127.0.0.1", userStatus.port()).usePlaintext().build();

    connector =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .directExecutor()
            .addService(new RecordingConnector(delivered))
            .build()
            .start();
    zk = ZooKeeperClients.connect(zooKeeper.connectString(), java.time.Duration.ofSeconds(10));
    discovery = new Discovery(zk);
    discovery.register(
        new ServiceEndpoint(
            ServiceNames.CONNECTOR,
            CONNECTOR_ID,
            "127.0.0.1",
            connector.getPort(),
            Map.of("grpc", connector.getPort(), "client", connector.getPort())));

    // Started last: its directories load the registered user-status and connector at start.
    transfer =
        TransferFixture.start(
            TransferFixture.env(
                kafka.bootstrapServers(),
                "it.presence." + UUID.randomUUID(),
                db,
                zooKeeper.connectString()));
  }

  @AfterAll
  void stop() throws Exception {
    if (transfer != null) {
      transfer.close();
    }
    if (discovery != null) {
      discovery.close();
    }
    if (zk != null) {
      zk.close();
    }
    if (connector != null) {
      connector.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    if (userStatusChannel != null) {
      userStatusChannel.shutdownNow();
    }
    if (userStatus != null) {
      userStatus.close();
    }
  }

  private static SessionRoute route(long userId, String deviceId) {
    return SessionRoute.newBuilder()
        .setUserId(userId)
        .setDeviceId(deviceId)
        .setConnectorId(CONNECTOR_ID)
        .setSessionId(userId + "-" + deviceId)
        .build();
  }

  /** What a connector does when a session starts: Online in user-status, then PublishPresence. */
  private void sessionStarts(long userId, String deviceId) {
    UserStatusGrpc.newBlockingStub(userStatusChannel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .online(OnlineRequest.newBuilder().setSession(route(userId, deviceId)).build());
    publish(userId, deviceId, true);
  }

  private void sessionEnds(long userId, String deviceId) {
    UserStatusGrpc.newBlockingStub(userStatusChannel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .offline(OfflineRequest.newBuilder().setSession(route(userId, deviceId)).build());
    publish(userId, deviceId, false);
  }

  /** As a connector whose user-status does not count sessions: transfer decides. */
  private void publish(long userId, String deviceId, boolean online) {
    publish(userId, deviceId, online, false);
  }

  private void publish(long userId, String deviceId, boolean online, boolean transition) {
    transfer
        .stub()
        .publishPresence(
            PublishPresenceRequest.newBuilder()
                .setUserId(userId)
                .setDeviceId(deviceId)
                .setOnline(online)
                .setTransition(transition)
                .build());
  }

  /** The next Deliver call the connector received. */
  private DeliverRequest nextDeliver() throws InterruptedException {
    DeliverRequest request = delivered.poll(10, TimeUnit.SECONDS);
    assertThat(request).as("a Deliver call within 10 s").isNotNull();
    return request;
  }

  @Test
  void presenceChangesOfAUser_reachItsConnectedFriendsOnly_firstOnlineAndLastOffline()
      throws Exception {
    // bob (friend) and dave (no friend) are connected, carol (friend) is not.
    UserStatusGrpc.newBlockingStub(userStatusChannel)
        .online(OnlineRequest.newBuilder().setSession(route(BOB, "phone")).build());
    UserStatusGrpc.newBlockingStub(userStatusChannel)
        .online(OnlineRequest.newBuilder().setSession(route(DAVE, "phone")).build());

    sessionStarts(ALICE, "laptop");
    DeliverRequest online = nextDeliver();
    assertThat(online.getDeliveriesList()).extracting(Delivery::getUserId).containsExactly(BOB);
    Notice notice = online.getDeliveries(0).getFrame().getNotice();
    assertThat(notice.getType()).isEqualTo(NoticeType.PRESENCE);
    assertThat(notice.getFromUserId()).isEqualTo(ALICE);
    assertThat(notice.getOnline()).isTrue();
    assertThat(notice.getAtMs()).isPositive();

    // A second device, and the end of one of two sessions, change nothing for the friends. The
    // notices of one user are decided in order, so the next Deliver is the final offline one.
    sessionStarts(ALICE, "phone");
    sessionEnds(ALICE, "phone");
    sessionEnds(ALICE, "laptop");
    DeliverRequest offline = nextDeliver();
    assertThat(offline.getDeliveriesList()).extracting(Delivery::getUserId).containsExactly(BOB);
    assertThat(offline.getDeliveries(0).getFrame().getNotice().getOnline()).isFalse();
    assertThat(offline.getDeliveries(0).getFrame().getNotice().getFromUserId()).isEqualTo(ALICE);

    // The friend list follows InvalidateRelations: alice unfriends bob and befriends dave.
    db.unfriend(ALICE, BOB);
    db.befriend(ALICE, DAVE);
    transfer
        .stub()
        .invalidateRelations(
            InvalidateRelationsRequest.newBuilder()
                .addPairs(UserPair.newBuilder().setA(ALICE).setB(BOB))
                .addPairs(UserPair.newBuilder().setA(DAVE).setB(ALICE))
                .build());
    sessionStarts(ALICE, "laptop");
    assertThat(nextDeliver().getDeliveriesList())
        .extracting(Delivery::getUserId)
        .containsExactly(DAVE);
    assertThat(delivered).isEmpty();
  }

  @Test
  void aTransitionDecidedByTheConnector_isAnnouncedWithoutReadingTheRoutes() throws Exception {
    UserStatusGrpc.newBlockingStub(userStatusChannel)
        .online(OnlineRequest.newBuilder().setSession(route(BOB, "tablet")).build());

    // No route of alice's tablet in user-status: read there, the routes would say "not online".
    publish(ALICE, "tablet", true, true);

    Notice notice = nextDeliver().getDeliveries(0).getFrame().getNotice();
    assertThat(notice.getFromUserId()).isEqualTo(ALICE);
    assertThat(notice.getOnline()).isTrue();
  }

  @Test
  void publishPresence_withoutAUser_isInvalidArgument() {
    assertThatThrownBy(() -> publish(0, "phone", true))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }
}
