package dev.switchboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.chat.Conversations;
import dev.switchboard.common.config.Env;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.OfflineStoreConfig;
import dev.switchboard.offlinestore.OfflineStoreServer;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationHead;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginReq;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.Ping;
import dev.switchboard.proto.SyncReq;
import dev.switchboard.proto.SyncResp;
import dev.switchboard.proto.internal.MessageEvent;
import dev.switchboard.proto.internal.OfflineStoreGrpc;
import dev.switchboard.proto.internal.SyncRequest;
import dev.switchboard.userstatus.UserStatusConfig;
import dev.switchboard.userstatus.UserStatusServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real connector with the real user-status and offline-store (fed through real Kafka, stored in
 * MariaDB), spoken to over a socket: the first page at login, the cursor moved by DELIVERED, and a
 * store that went away. The last test stops offline-store.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncIT {
  private static final String SECRET = "connector-sync-it-secret-connector-sync-it";
  private static final Duration WITHIN = Duration.ofSeconds(30);

  private final AtomicLong users = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));
  private final AtomicLong ids = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40));
  private final TokenService tokens =
      new TokenService(SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
  private String jdbcUrl;
  private String dbUser;
  private String dbPassword;
  private String topic;
  private UserStatusServer userStatus;
  private OfflineStoreServer offlineStore;
  private ConnectorServer connector;
  private KafkaProducer<byte[], byte[]> producer;
  private ManagedChannel storeChannel;

  @BeforeAll
  void start(
      EmbeddedZooKeeper zk, EmbeddedRedis redis, EmbeddedMariaDb mariaDb, EmbeddedKafka kafka)
      throws Exception {
    jdbcUrl = mariaDb.jdbcUrl("connector_sync_" + UUID.randomUUID().toString().substring(0, 8));
    dbUser = mariaDb.user();
    dbPassword = mariaDb.password();
    // transfer's allocator table (same database in a deployment): offline-store reads the heads
    sql(
        "CREATE TABLE IF NOT EXISTS conversation_seq ("
            + " conversation_id VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,"
            + " last_seq BIGINT NOT NULL, PRIMARY KEY (conversation_id)) ENGINE = InnoDB");
    topic = "it.connector.sync." + UUID.randomUUID();

    userStatus =
        new UserStatusServer(
            UserStatusConfig.fromEnv(
                Env.of(
                    Map.of(
                        "IM_REDIS_URL", redis.url(),
                        "IM_ZK_CONNECT", zk.connectString()))));
    userStatus.start();

    Map<String, String> store = new HashMap<>();
    store.put("IM_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    store.put("IM_KAFKA_TOPIC", topic);
    store.put("IM_KAFKA_GROUP", "connector-sync-it-" + UUID.randomUUID());
    store.put("IM_KAFKA_PARTITIONS", "1");
    store.put("IM_MYSQL_URL", jdbcUrl);
    store.put("IM_MYSQL_USER", dbUser);
    store.put("IM_MYSQL_PASSWORD", dbPassword);
    store.put("IM_MYSQL_POOL_SIZE", "4");
    store.put("IM_ZK_CONNECT", zk.connectString());
    store.put("IM_OFFLINE_POLL_TIMEOUT", "100ms");
    store.put("IM_SHUTDOWN_TIMEOUT", "3s");
    offlineStore = new OfflineStoreServer(OfflineStoreConfig.fromEnv(Env.of(store)));
    offlineStore.start();
    storeChannel =
        ManagedChannelBuilder.forAddress("127.0.0.1", offlineStore.port()).usePlaintext().build();

    connector =
        new ConnectorServer(
            ConnectorConfig.fromEnv(
                Env.of(
                    Map.of(
                        "IM_CONNECTOR_ID",
                        "conn-sync-it-" + UUID.randomUUID().toString().substring(0, 8),
                        "IM_ZK_CONNECT",
                        zk.connectString(),
                        "IM_JWT_SECRET",
                        SECRET,
                        "IM_RPC_DEADLINE",
                        "3s",
                        "IM_SHUTDOWN_TIMEOUT",
                        "3s"))));
    connector.start();

    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producer = new KafkaProducer<>(props);
  }

  @AfterAll
  void stop() throws Exception {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (connector != null) {
      connector.close();
    }
    if (storeChannel != null) {
      storeChannel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    if (offlineStore != null) {
      offlineStore.close();
    }
    if (userStatus != null) {
      userStatus.close();
    }
  }

  @Test
  @Order(1)
  void login_getsWhatWasStoredAsTheFirstPage_andDeliveredMovesTheCursor() throws Exception {
    long alice = users.incrementAndGet();
    long bob = users.incrementAndGet();
    String conversation = Conversations.single(alice, bob);
    for (long seq = 1; seq <= 3; seq++) {
      log(chat(bob, alice, seq));
    }
    // seq 4 is accepted by transfer (allocated) but not stored yet
    sql(
        "INSERT INTO conversation_seq (conversation_id, last_seq) VALUES ('"
            + conversation
            + "', 4)");
    awaitStored(alice, 3);

    try (Socket socket = connect()) {
      InputStream in = socket.getInputStream();
      login(socket, alice, "phone");
      assertThat(Frame.parseDelimitedFrom(in).getLoginResp().getOk()).isTrue();

      Frame first = Frame.parseDelimitedFrom(in);
      assertThat(first.getRequestId()).isZero();
      SyncResp page = first.getSyncResp();
      assertThat(page.getMessagesList()).extracting(ChatMsg::getSeq).containsExactly(1L, 2L, 3L);
      assertThat(page.getMessagesList()).allMatch(m -> m.getConversationId().equals(conversation));
      assertThat(page.getHeadsList())
          .containsExactly(
              ConversationHead.newBuilder()
                  .setConversationId(conversation)
                  .setMaxSeq(4) // allocated, not stored: the client knows to sync again
                  .setDeliveredSeq(0)
                  .build());

      // DELIVERED through 3 (no transfer runs here, so the relay itself is refused)
      Frame.newBuilder()
          .setRequestId(10)
          .setAckMsg(
              AckMsg.newBuilder()
                  .setMsgType(MsgType.DELIVERED)
                  .setDestId(bob)
                  .setConversationId(conversation)
                  .setAckMsgId(page.getMessages(2).getId())
                  .setSeq(3)
                  .setDeliveredThroughSeq(3))
          .build()
          .writeDelimitedTo(socket.getOutputStream());
      assertThat(answerTo(in, 10).getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);

      long[] requestId = {100};
      await()
          .atMost(WITHIN)
          .untilAsserted(
              () -> {
                long id = ++requestId[0];
                Frame.newBuilder()
                    .setRequestId(id)
                    .setSyncReq(SyncReq.getDefaultInstance())
                    .build()
                    .writeDelimitedTo(socket.getOutputStream());
                SyncResp again = answerTo(in, id).getSyncResp();
                assertThat(again.getMessagesList()).isEmpty();
                assertThat(again.getHeadsList())
                    .extracting(ConversationHead::getDeliveredSeq)
                    .containsExactly(3L);
              });
    }
  }

  @Test
  @Order(2)
  void storeGone_loginStillWorks_andSyncIsAnsweredUnavailable() throws Exception {
    offlineStore.close();
    long carol = users.incrementAndGet();

    try (Socket socket = connect()) {
      InputStream in = socket.getInputStream();
      login(socket, carol, "laptop");
      assertThat(Frame.parseDelimitedFrom(in).getLoginResp().getOk()).isTrue();

      Frame error = Frame.parseDelimitedFrom(in);
      assertThat(error.getRequestId()).isZero();
      assertThat(error.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(error.getError().getMessage()).isEqualTo("sync unavailable, retry SyncReq");

      Frame.newBuilder()
          .setRequestId(2)
          .setPing(Ping.newBuilder().setTimeMs(5))
          .build()
          .writeDelimitedTo(socket.getOutputStream());
      assertThat(answerTo(in, 2).getPong().getTimeMs()).isEqualTo(5);

      Frame.newBuilder()
          .setRequestId(3)
          .setSyncReq(SyncReq.getDefaultInstance())
          .build()
          .writeDelimitedTo(socket.getOutputStream());
      Frame answer = answerTo(in, 3);
      assertThat(answer.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(answer.getError().getRequestId()).isEqualTo(3);
    }
  }

  private void awaitStored(long userId, int count) {
    OfflineStoreGrpc.OfflineStoreBlockingStub stub = OfflineStoreGrpc.newBlockingStub(storeChannel);
    await()
        .atMost(WITHIN)
        .until(
            () ->
                stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .sync(
                            SyncRequest.newBuilder().setUserId(userId).setDeviceId("probe").build())
                        .getMessagesCount()
                    == count);
  }

  private ChatMsg chat(long from, long to, long seq) {
    long id = ids.incrementAndGet();
    return ChatMsg.newBuilder()
        .setId(id)
        .setClientMsgId("c-" + id)
        .setFromId(from)
        .setDestId(to)
        .setConversationId(Conversations.single(from, to))
        .setConversationType(ConversationType.SINGLE)
        .setContentType(ContentType.TEXT)
        .setMsgBody("message " + seq)
        .setSeq(seq)
        .setSentAtMs(System.currentTimeMillis())
        .setFromDeviceId("phone")
        .build();
  }

  /** As transfer writes it: key = conversation id, value = MessageEvent. */
  private void log(ChatMsg msg) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topic,
                msg.getConversationId().getBytes(StandardCharsets.UTF_8),
                MessageEvent.newBuilder().setChat(msg).build().toByteArray()))
        .get(15, TimeUnit.SECONDS);
  }

  private void login(Socket socket, long userId, String deviceId) throws IOException {
    Frame.newBuilder()
        .setRequestId(1)
        .setLoginReq(
            LoginReq.newBuilder()
                .setToken(tokens.issue(userId, deviceId, Duration.ofMinutes(5)).token())
                .setDeviceId(deviceId))
        .build()
        .writeDelimitedTo(socket.getOutputStream());
  }

  /** Reads frames until the one answering {@code requestId}. */
  private static Frame answerTo(InputStream in, long requestId) throws IOException {
    while (true) {
      Frame frame = Frame.parseDelimitedFrom(in);
      if (frame == null) {
        throw new IOException("closed before the answer to " + requestId);
      }
      if (frame.getRequestId() == requestId) {
        return frame;
      }
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", connector.clientPort()), 5_000);
    socket.setSoTimeout(15_000);
    return socket;
  }

  private void sql(String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
