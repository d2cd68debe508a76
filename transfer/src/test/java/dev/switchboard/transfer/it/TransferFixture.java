package dev.switchboard.transfer.it;

import dev.switchboard.common.config.Env;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.InvalidateRelationsRequest;
import dev.switchboard.proto.internal.SendAckRequest;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatRequest;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.proto.internal.TransferGrpc;
import dev.switchboard.proto.internal.UserPair;
import dev.switchboard.transfer.TransferConfig;
import dev.switchboard.transfer.TransferServer;
import dev.switchboard.transfer.message.IntakeHook;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A started TransferServer and a client channel to it, as a connector would hold. */
final class TransferFixture implements AutoCloseable {
  final TransferServer server;
  final ManagedChannel channel;

  private TransferFixture(TransferServer server) {
    this.server = server;
    this.channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  static Map<String, String> env(
      String kafkaBootstrap, String topic, TestDatabase db, String zkConnect) {
    Map<String, String> env = new HashMap<>();
    env.put("IM_KAFKA_BOOTSTRAP", kafkaBootstrap);
    env.put("IM_KAFKA_TOPIC", topic);
    env.put("IM_KAFKA_PARTITIONS", "3");
    env.put("IM_MYSQL_URL", db.url);
    env.put("IM_MYSQL_USER", db.user);
    env.put("IM_MYSQL_PASSWORD", db.password);
    env.put("IM_ZK_CONNECT", zkConnect);
    env.put("IM_ROUTE_LOOKUP_TIMEOUT", "300ms");
    env.put("IM_SHUTDOWN_TIMEOUT", "3s");
    env.put("IM_MYSQL_POOL_SIZE", "8");
    env.put("IM_TRANSFER_THREADS", "32");
    // Most tests are about sequencing and durability between users that are not friends; the
    // friends-only default is tested in MessagePolicyIT.
    env.put("IM_MESSAGE_POLICY", "open");
    return env;
  }

  static TransferFixture start(Map<String, String> env) throws Exception {
    return start(env, IntakeHook.NONE);
  }

  static TransferFixture start(Map<String, String> env, IntakeHook hook) throws Exception {
    TransferServer server = new TransferServer(TransferConfig.fromEnv(Env.of(env)), hook);
    server.start();
    return new TransferFixture(server);
  }

  SendChatResponse send(ChatMsg msg) {
    return TransferGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .sendChat(SendChatRequest.newBuilder().setMsg(msg).setConnectorId("it").build());
  }

  SendAckResponse sendAck(AckMsg ack) {
    return stub().sendAck(SendAckRequest.newBuilder().setAck(ack).setConnectorId("it").build());
  }

  /** What account-api does after it changed the friendship or block of {@code a} and {@code b}. */
  void invalidate(long a, long b) {
    stub()
        .invalidateRelations(
            InvalidateRelationsRequest.newBuilder()
                .addPairs(UserPair.newBuilder().setA(a).setB(b))
                .build());
  }

  /** The value of a counter on this instance's /metrics, 0 if it is not there yet. */
  double metric(String name) throws IOException, InterruptedException {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  TransferGrpc.TransferBlockingStub stub() {
    return TransferGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(2, TimeUnit.SECONDS);
    server.close();
  }
}
