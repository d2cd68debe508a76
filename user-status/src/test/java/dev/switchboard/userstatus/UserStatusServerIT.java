package dev.switchboard.userstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.common.net.Ports;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.internal.CountOnlineRequest;
import dev.switchboard.proto.internal.CountOnlineResponse;
import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.UserStatusGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole server as the launcher runs it: Netty gRPC, ZooKeeper registration, metrics. */
@ExtendWith(InfraExtension.class)
class UserStatusServerIT {

  private final TestIds ids = new TestIds();

  @Test
  void startedServer_isDiscoverableInZooKeeper_servesGrpc_andDisappearsWhenClosed(
      EmbeddedRedis redis, EmbeddedZooKeeper zooKeeper) throws Exception {
    String instanceId = "user-status-it-" + UUID.randomUUID();
    UserStatusConfig config =
        withInstanceId(
            UserStatusConfig.defaults(redis.url(), zooKeeper.connectString()), instanceId);
    try (CuratorFramework zk =
            ZooKeeperClients.connect(zooKeeper.connectString(), Duration.ofSeconds(10));
        Discovery discovery = new Discovery(zk);
        ServiceDirectory directory = discovery.directory(ServiceNames.USER_STATUS)) {
      UserStatusServer server = new UserStatusServer(config);
      try {
        server.start();

        ServiceEndpoint endpoint =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> directory.byId(instanceId), found -> found.isPresent())
                .orElseThrow();
        assertThat(endpoint.host()).isEqualTo("127.0.0.1");
        assertThat(endpoint.port()).isEqualTo(server.port());
        assertThat(endpoint.port("grpc")).isEqualTo(server.port());

        long user = ids.userId();
        ManagedChannel channel =
            ManagedChannelBuilder.forTarget(endpoint.target()).usePlaintext().build();
        try {
          UserStatusGrpc.UserStatusBlockingStub stub =
              UserStatusGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
          stub.online(
              OnlineRequest.newBuilder()
                  .setSession(InProcessUserStatus.session(user, "phone", "conn-a", ids.sessionId()))
                  .build());
          List<SessionRoute> routes =
              stub.getRoutes(GetRoutesRequest.newBuilder().addUserIds(user).build())
                  .getRoutesList();
          assertThat(routes).extracting(SessionRoute::getConnectorId).containsExactly("conn-a");
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        String metrics = scrape(server.metricsPort());
        assertThat(metrics)
            .contains("userstatus_rpc_seconds_count{")
            .contains("method=\"Online\"")
            .contains("status=\"OK\"")
            .contains("userstatus_online_users")
            .contains("userstatus_sessions_total{");
      } finally {
        server.close();
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> directory.byId(instanceId).isEmpty());
      server.close(); // idempotent
    }
  }

  @Test
  void startWithUnreachableRedis_failsWithAClearMessage() {
    String deadRedis = "redis://127.0.0.1:" + Ports.freePort();
    // Redis is checked before ZooKeeper, so no ZooKeeper is needed to see the failure.
    UserStatusConfig config = UserStatusConfig.defaults(deadRedis, "127.0.0.1:1");
    UserStatusServer server = new UserStatusServer(config);

    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot reach Redis at 127.0.0.1:");
    server.close();
  }

  @Test
  void burstOfCallsBeyondThePool_queuesForAConnection_insteadOfFailingUnavailable(
      EmbeddedRedis redis, EmbeddedZooKeeper zooKeeper) throws Exception {
    // One connection with a 100 ms wait for it: the reconnect storm after a connector died, in
    // small. Handlers that each took a thread of their own waited on the pool and failed.
    UserStatusConfig defaults =
        withInstanceId(
            UserStatusConfig.defaults(redis.url(), zooKeeper.connectString()),
            "user-status-it-" + UUID.randomUUID());
    UserStatusConfig config =
        new UserStatusConfig(
            defaults.redisUrl(),
            defaults.zkConnect(),
            defaults.host(),
            defaults.port(),
            defaults.advertiseHost(),
            defaults.metricsPort(),
            defaults.sessionTtl(),
            defaults.instanceId(),
            Duration.ofMillis(100),
            1,
            defaults.onlineCleanupInterval());
    UserStatusServer server = new UserStatusServer(config);
    try {
      server.start();
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        UserStatusGrpc.UserStatusFutureStub stub = UserStatusGrpc.newFutureStub(channel);
        List<ListenableFuture<CountOnlineResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
          calls.add(
              stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                  .countOnline(CountOnlineRequest.getDefaultInstance()));
        }
        List<String> failures = new ArrayList<>();
        for (ListenableFuture<CountOnlineResponse> call : calls) {
          try {
            call.get(60, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            failures.add(e.getCause().getMessage());
          }
        }
        assertThat(failures).isEmpty();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      server.close();
    }
  }

  private static UserStatusConfig withInstanceId(UserStatusConfig c, String instanceId) {
    return new UserStatusConfig(
        c.redisUrl(),
        c.zkConnect(),
        c.host(),
        c.port(),
        c.advertiseHost(),
        c.metricsPort(),
        c.sessionTtl(),
        instanceId,
        c.redisTimeout(),
        c.redisPoolSize(),
        c.onlineCleanupInterval());
  }

  private static String scrape(int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
