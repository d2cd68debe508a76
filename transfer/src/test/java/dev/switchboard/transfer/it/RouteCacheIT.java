package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.OfflineRequest;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.UserStatusGrpc;
import dev.switchboard.userstatus.UserStatusConfig;
import dev.switchboard.userstatus.UserStatusServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
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
 * Pushes take routes from transfer's cache, and follow a session to its new connector the moment
 * user-status announces the move: against a real user-status over Redis, two recording connectors
 * and a real transfer.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteCacheIT {
  private static final String CONNECTOR_A = "conn-a-" + UUID.randomUUID();
  private static final String CONNECTOR_B = "conn-b-" + UUID.randomUUID();
  private static final long ALICE = 11;
  private static final long BOB = 12;

  private final Map<String, BlockingQueue<DeliverRequest>> delivered =
      Map.of(CONNECTOR_A, new LinkedBlockingQueue<>(), CONNECTOR_B, new LinkedBlockingQueue<>());
  private TestDatabase db;
  private UserStatusServer userStatus;
  private ManagedChannel userStatusChannel;
  private CuratorFramework zk;
  private Discovery discovery;
  private Server connectorA;
  private Server connectorB;
  private TransferFixture transfer;
  private int sent;

  @BeforeAll
  void start(
      EmbeddedMariaDb mariaDb,
      EmbeddedKafka kafka,
      EmbeddedZooKeeper zooKeeper,
      EmbeddedRedis redis)
      throws Exception {
    db = TestDatabase.create(mariaDb, "transfer_routes");
    db.createUsersTable();
    db.insertUsers(1, 20);
    db.createRelationTables();

    userStatus =
        new UserStatusServer(UserStatusConfig.defaults(redis.url(), zooKeeper.connectString()));
    userStatus.start();
    userStatusChannel =
        ManagedChannelBuilder.forAddress("127.0.0.1", userStatus.port()).usePlaintext().build();

    zk = ZooKeeperClients.connect(zooKeeper.connectString(), Duration.ofSeconds(10));
    discovery = new Discovery(zk);
    connectorA = recordingConnector(CONNECTOR_A);
    connectorB = recordingConnector(CONNECTOR_B);

    transfer =
        TransferFixture.start(
            TransferFixture.env(
                kafka.bootstrapServers(),
                "it.routes." + UUID.randomUUID(),
                db,
                zooKeeper.connectString()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> transfer.metric("transfer_routes_cache_live") == 1.0);
  }

  private Server recordingConnector(String id) throws Exception {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .directExecutor()
            .addService(new RecordingConnector(delivered.get(id)))
            .build()
            .start();
    discovery.register(
        new ServiceEndpoint(
            ServiceNames.CONNECTOR,
            id,
            "127.0.0.1",
            server.getPort(),
            Map.of("grpc", server.getPort(), "client", server.getPort())));
    return server;
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
    for (Server server : new Server[] {connectorA, connectorB}) {
      if (server != null) {
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
      }
    }
    if (userStatusChannel != null) {
      userStatusChannel.shutdownNow();
    }
    if (userStatus != null) {
      userStatus.close();
    }
  }

  @Test
  void pushesReuseTheCachedRoute_andFollowTheSessionToItsNewConnectorAtOnce() throws Exception {
    announced(() -> online(BOB, "phone", CONNECTOR_A, "bob-1"));
    sendToBob();
    assertThat(nextDeliverTo(CONNECTOR_A)).isNotNull();
    double hitsBefore = transfer.metric("transfer_routes_cache_hits_total");

    sendToBob();
    assertThat(nextDeliverTo(CONNECTOR_A)).isNotNull();
    assertThat(transfer.metric("transfer_routes_cache_hits_total")).isGreaterThan(hitsBefore);

    // The device reconnects through the other connector: the first message after the login was
    // announced goes there, not to the cached connector.
    announced(() -> online(BOB, "phone", CONNECTOR_B, "bob-2"));
    sendToBob();
    assertThat(nextDeliverTo(CONNECTOR_B).getDeliveries(0).getUserId()).isEqualTo(BOB);
    assertThat(delivered.get(CONNECTOR_A)).isEmpty();

    // Logged out: the next message is pushed nowhere. Alice's reply, in the same conversation
    // and so in the same push lane, is pushed after it.
    announced(() -> offline(BOB, "phone", CONNECTOR_B, "bob-2"));
    announced(() -> online(ALICE, "laptop", CONNECTOR_A, "alice-1"));
    sendToBob();
    sendTo(ALICE, BOB);
    assertThat(nextDeliverTo(CONNECTOR_A).getDeliveries(0).getUserId()).isEqualTo(ALICE);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> delivered.get(CONNECTOR_B).isEmpty());
  }

  /** Makes a route change and waits until transfer has heard of it. */
  private void announced(Runnable change) throws Exception {
    double before = transfer.metric("transfer_routes_cache_invalidations_total");
    change.run();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> transfer.metric("transfer_routes_cache_invalidations_total") > before);
  }

  private void sendToBob() {
    sendTo(BOB, ALICE);
  }

  private void sendTo(long dest, long from) {
    sent++;
    assertThat(
            transfer
                .send(
                    ChatMsg.newBuilder()
                        .setFromId(from)
                        .setFromDeviceId("phone")
                        .setDestId(dest)
                        .setClientMsgId("routes-" + sent)
                        .setMsgBody("hi")
                        .build())
                .hasSent())
        .isTrue();
  }

  private DeliverRequest nextDeliverTo(String connector) throws InterruptedException {
    DeliverRequest request = delivered.get(connector).poll(10, TimeUnit.SECONDS);
    assertThat(request).as("a Deliver call to " + connector + " within 10 s").isNotNull();
    return request;
  }

  private void online(long userId, String deviceId, String connectorId, String sessionId) {
    UserStatusGrpc.newBlockingStub(userStatusChannel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .online(
            OnlineRequest.newBuilder()
                .setSession(route(userId, deviceId, connectorId, sessionId))
                .build());
  }

  private void offline(long userId, String deviceId, String connectorId, String sessionId) {
    UserStatusGrpc.newBlockingStub(userStatusChannel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .offline(
            OfflineRequest.newBuilder()
                .setSession(route(userId, deviceId, connectorId, sessionId))
                .build());
  }

  private static SessionRoute route(
      long userId, String deviceId, String connectorId, String sessionId) {
    return SessionRoute.newBuilder()
        .setUserId(userId)
        .setDeviceId(deviceId)
        .setConnectorId(connectorId)
        .setSessionId(sessionId)
        .build();
  }
}
