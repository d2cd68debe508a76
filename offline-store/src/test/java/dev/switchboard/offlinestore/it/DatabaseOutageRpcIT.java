package dev.switchboard.offlinestore.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.grpc.OfflineStoreGrpcService;
import dev.switchboard.offlinestore.history.HistoryService;
import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.Databases;
import dev.switchboard.offlinestore.store.StoreProgress;
import dev.switchboard.offlinestore.sync.AllocatedSeqs;
import dev.switchboard.offlinestore.sync.ConversationMembers;
import dev.switchboard.offlinestore.sync.DeliveryCursors;
import dev.switchboard.offlinestore.sync.ReadMarks;
import dev.switchboard.offlinestore.sync.SyncService;
import dev.switchboard.proto.internal.AdvanceCursorRequest;
import dev.switchboard.proto.internal.HistoryRequest;
import dev.switchboard.proto.internal.MarkReadRequest;
import dev.switchboard.proto.internal.OfflineStoreGrpc;
import dev.switchboard.proto.internal.SyncRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * When MySQL cannot be reached every RPC answers UNAVAILABLE (never an empty sync that a client
 * would take for "nothing new"), and serves again once it is back. The service runs in-process over
 * a real pool that the test switches down.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageRpcIT {
  private HikariDataSource pool;
  private SwitchableDataSource mysql;
  private Server server;
  private ManagedChannel channel;

  @BeforeAll
  void start(EmbeddedMariaDb mariaDb) throws Exception {
    TestDatabase db = TestDatabase.create(mariaDb, "offline_outage_rpc");
    pool = Databases.pool(db.url, db.user, db.password, 2, "it-outage-rpc");
    Databases.migrate(pool);
    mysql = new SwitchableDataSource(pool);
    OfflineMetrics metrics = new OfflineMetrics(new SimpleMeterRegistry());
    AllocatedSeqs allocated = new AllocatedSeqs(Clock.systemUTC());
    ConversationMembers members = new ConversationMembers(Clock.systemUTC());
    OfflineStoreGrpcService service =
        new OfflineStoreGrpcService(
            new SyncService(
                mysql,
                allocated,
                members,
                new StoreProgress(),
                metrics,
                Clock.systemUTC(),
                500,
                1_000,
                Duration.ofMillis(500)),
            new DeliveryCursors(mysql, allocated, members, metrics),
            new ReadMarks(mysql),
            new HistoryService(mysql, 500));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name).directExecutor().addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterAll
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    if (pool != null) {
      pool.close();
    }
  }

  private OfflineStoreGrpc.OfflineStoreBlockingStub stub() {
    return OfflineStoreGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  @Test
  void everyRpc_answersUnavailableWhileMysqlIsDown_andServesAgainAfterwards() {
    SyncRequest sync = SyncRequest.newBuilder().setUserId(1).setDeviceId("phone").build();
    mysql.down(true);
    try {
      assertUnavailable(() -> stub().sync(sync));
      assertUnavailable(
          () ->
              stub()
                  .advanceCursor(
                      AdvanceCursorRequest.newBuilder()
                          .setUserId(1)
                          .setDeviceId("phone")
                          .setConversationId("s_1_2")
                          .setDeliveredSeq(3)
                          .build()));
      assertUnavailable(
          () ->
              stub()
                  .markRead(
                      MarkReadRequest.newBuilder()
                          .setUserId(1)
                          .setConversationId("s_1_2")
                          .setSeq(3)
                          .build()));
      assertUnavailable(
          () -> stub().history(HistoryRequest.newBuilder().setConversationId("s_1_2").build()));
    } finally {
      mysql.down(false);
    }

    assertThat(stub().sync(sync).getMessagesList()).isEmpty();
  }

  private static void assertUnavailable(Executable call) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
