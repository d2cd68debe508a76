package dev.switchboard.offlinestore.it;

import dev.switchboard.common.config.Env;
import dev.switchboard.offlinestore.OfflineStoreConfig;
import dev.switchboard.offlinestore.OfflineStoreServer;
import dev.switchboard.offlinestore.ingest.IngestHooks;
import dev.switchboard.proto.internal.OfflineStoreGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A started OfflineStoreServer and a client channel to it, as a connector would hold. */
public final class OfflineStoreFixture implements AutoCloseable {
  public final OfflineStoreServer server;
  public final ManagedChannel channel;

  private OfflineStoreFixture(OfflineStoreServer server) {
    this.server = server;
    this.channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  public static Map<String, String> env(
      LogWriter log, String group, TestDatabase db, String zkConnect) {
    Map<String, String> env = new HashMap<>();
    env.put("IM_KAFKA_BOOTSTRAP", log.bootstrap());
    env.put("IM_KAFKA_TOPIC", log.topic());
    env.put("IM_KAFKA_GROUP", group);
    env.put("IM_MYSQL_URL", db.url);
    env.put("IM_MYSQL_USER", db.user);
    env.put("IM_MYSQL_PASSWORD", db.password);
    env.put("IM_ZK_CONNECT", zkConnect);
    env.put("IM_MYSQL_POOL_SIZE", "6");
    env.put("IM_OFFLINE_POLL_TIMEOUT", "100ms");
    env.put("IM_SHUTDOWN_TIMEOUT", "3s");
    return env;
  }

  public static OfflineStoreFixture start(Map<String, String> env) throws Exception {
    return start(env, IngestHooks.NONE);
  }

  public static OfflineStoreFixture start(Map<String, String> env, IngestHooks hooks)
      throws Exception {
    OfflineStoreServer server =
        new OfflineStoreServer(OfflineStoreConfig.fromEnv(Env.of(env)), Clock.systemUTC(), hooks);
    server.start();
    return new OfflineStoreFixture(server);
  }

  /** A stub with a deadline, as every caller must use. */
  public OfflineStoreGrpc.OfflineStoreBlockingStub stub() {
    return OfflineStoreGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(2, TimeUnit.SECONDS);
    server.close();
  }
}
