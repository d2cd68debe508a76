package dev.switchboard.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.account.ApiClient.Response;
import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.chat.Conversations;
import dev.switchboard.common.config.Env;
import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.Registration;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.common.net.Ports;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.OfflineStoreConfig;
import dev.switchboard.offlinestore.OfflineStoreServer;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.FileRef;
import dev.switchboard.userstatus.UserStatusConfig;
import dev.switchboard.userstatus.UserStatusServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The history endpoint on the real account-api in front of a real offline-store, which consumes the
 * message log from real Kafka into the shared MariaDB. Messages are written to the log as transfer
 * writes them; each test reads them back over HTTP like a client. Tokens are issued with the shared
 * secret, as account-api's login would (history needs no account row).
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HistoryIT {
  private static final Duration STORED_WITHIN = Duration.ofSeconds(30);

  private final byte[] secret = TokenService.randomSecret();
  private final TokenService tokens = new TokenService(secret, Clock.systemUTC());
  private final AtomicLong messageIds = new AtomicLong(100_000);
  private final AtomicLong userIds = new AtomicLong(1_000);
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  private CuratorFramework zk;
  private Discovery discovery;
  private UserStatusServer userStatus;
  private MessageLog log;
  private OfflineStoreServer offlineStore;
  private AccountApiServer server;
  private ApiClient api;

  @BeforeAll
  void start(
      EmbeddedMariaDb db, EmbeddedZooKeeper zooKeeper, EmbeddedRedis redis, EmbeddedKafka kafka)
      throws Exception {
    String zkConnect = zooKeeper.connectString();
    // One database for both services, as in production; each migrates its own tables.
    String jdbcUrl = db.jdbcUrl("history_it_" + suffix);
    zk = ZooKeeperClients.connect(zkConnect, Duration.ofSeconds(15));
    discovery = new Discovery(zk);

    // Tokens are checked for revocation there.
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

    log = new MessageLog(kafka.bootstrapServers(), "im.messages.history-it-" + suffix, 2);
    Map<String, String> offline = new HashMap<>();
    offline.put("IM_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    offline.put("IM_KAFKA_TOPIC", log.topic());
    offline.put("IM_KAFKA_GROUP", "offline-store-history-it-" + suffix);
    offline.put("IM_MYSQL_URL", jdbcUrl);
    offline.put("IM_MYSQL_USER", db.user());
    offline.put("IM_MYSQL_PASSWORD", db.password());
    offline.put("IM_MYSQL_POOL_SIZE", "4");
    offline.put("IM_ZK_CONNECT", zkConnect);
    offline.put("IM_INSTANCE_ID", "offline-store-history-it-" + suffix);
    offline.put("IM_OFFLINE_POLL_TIMEOUT", "100ms");
    offline.put("IM_SHUTDOWN_TIMEOUT", "3s");
    offlineStore = new OfflineStoreServer(OfflineStoreConfig.fromEnv(Env.of(offline)));
    offlineStore.start();

    Map<String, String> env = new HashMap<>();
    env.put("IM_HTTP_PORT", "0");
    env.put("IM_MYSQL_URL", jdbcUrl);
    env.put("IM_MYSQL_USER", db.user());
    env.put("IM_MYSQL_PASSWORD", db.password());
    env.put("IM_ZK_CONNECT", zkConnect);
    env.put("IM_JWT_SECRET", TokenService.encodeSecret(secret));
    env.put("IM_GRPC_DEADLINE", "2s");
    server = new AccountApiServer(AccountApiConfig.fromEnv(Env.of(env)));
    server.start();
    api = new ApiClient(server.port());
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable closeable :
        new AutoCloseable[] {server, offlineStore, log, userStatus, discovery, zk}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  // --- pages ---------------------------------------------------------------------------------

  @Test
  void history_pagesBackwardsByBeforeSeqOldestFirstWithinAPage() throws Exception {
    long alice = userIds.incrementAndGet();
    long bob = userIds.incrementAndGet();
    String conversation = Conversations.single(alice, bob);
    store(alice, conversation(alice, bob, 1, 7));
    String token = token(alice);

    JsonNode latest = page(conversation, token, "?limit=3");
    JsonNode middle = page(conversation, token, "?limit=3&beforeSeq=" + next(latest));
    JsonNode oldest = page(conversation, token, "?limit=3&beforeSeq=" + next(middle));

    assertThat(seqs(latest)).containsExactly(5L, 6L, 7L);
    assertThat(latest.path("hasMore").asBoolean()).isTrue();
    assertThat(next(latest)).isEqualTo(5);
    assertThat(seqs(middle)).containsExactly(2L, 3L, 4L);
    assertThat(middle.path("hasMore").asBoolean()).isTrue();
    assertThat(next(middle)).isEqualTo(2);
    assertThat(seqs(oldest)).containsExactly(1L);
    assertThat(oldest.path("hasMore").asBoolean()).isFalse();
    assertThat(next(oldest)).isEqualTo(1);
    assertThat(latest.path("conversationId").asString()).isEqualTo(conversation);
  }

  @Test
  void messagesStoredMeanwhile_doNotShiftOlderPages() throws Exception {
    long alice = userIds.incrementAndGet();
    long bob = userIds.incrementAndGet();
    String conversation = Conversations.single(alice, bob);
    store(alice, conversation(alice, bob, 1, 5));
    String token = token(bob);
    JsonNode latest = page(conversation, token, "?limit=2");

    store(alice, conversation(alice, bob, 6, 9));
    JsonNode older = page(conversation, token, "?limit=2&beforeSeq=" + next(latest));

    assertThat(seqs(latest)).containsExactly(4L, 5L);
    assertThat(seqs(older)).containsExactly(2L, 3L);
    assertThat(seqs(page(conversation, token, "?limit=2"))).containsExactly(8L, 9L);
  }

  @Test
  void bothMembers_seeEveryFieldAsStored() throws Exception {
    long alice = userIds.incrementAndGet();
    long bob = userIds.incrementAndGet();
    String conversation = Conversations.single(alice, bob);
    ChatMsg text = chat(alice, bob, 1, "hi bob");
    ChatMsg file =
        chat(bob, alice, 2, "").toBuilder()
            .setContentType(ContentType.FILE)
            .setFile(
                FileRef.newBuilder()
                    .setFileId("file-" + suffix)
                    .setName("notes.txt")
                    .setSize(321)
                    .setMime("text/plain")
                    .setSha256("9f86d081884c7d65"))
            .build();
    store(alice, List.of(text, file));

    JsonNode forAlice = page(conversation, token(alice), "");
    JsonNode forBob = page(conversation, token(bob), "");

    assertThat(forBob).isEqualTo(forAlice);
    assertThat(forAlice.path("hasMore").asBoolean()).isFalse();
    JsonNode first = forAlice.path("messages").get(0);
    assertThat(first.path("id").asLong()).isEqualTo(text.getId());
    assertThat(first.path("seq").asLong()).isEqualTo(1);
    assertThat(first.path("fromId").asLong()).isEqualTo(alice);
    assertThat(first.path("destId").asLong()).isEqualTo(bob);
    assertThat(first.path("conversationType").asString()).isEqualTo("SINGLE");
    assertThat(first.path("contentType").asString()).isEqualTo("TEXT");
    assertThat(first.path("body").asString()).isEqualTo("hi bob");
    assertThat(first.has("file")).isFalse();
    assertThat(first.path("sentAtMs").asLong()).isEqualTo(text.getSentAtMs());
    assertThat(first.path("sentAt").asString())
        .isEqualTo(Instant.ofEpochMilli(text.getSentAtMs()).toString());
    JsonNode second = forAlice.path("messages").get(1);
    assertThat(second.path("contentType").asString()).isEqualTo("FILE");
    assertThat(second.path("file").path("fileId").asString()).isEqualTo("file-" + suffix);
    assertThat(second.path("file").path("name").asString()).isEqualTo("notes.txt");
    assertThat(second.path("file").path("size").asLong()).isEqualTo(321);
    assertThat(second.path("file").path("mime").asString()).isEqualTo("text/plain");
    assertThat(second.path("file").path("sha256").asString()).isEqualTo("9f86d081884c7d65");
  }

  @Test
  void memberOfAConversationWithNothingStored_getsAnEmptyPage() {
    long alice = userIds.incrementAndGet();
    String conversation = Conversations.single(alice, userIds.incrementAndGet());

    JsonNode page = page(conversation, token(alice), "");

    assertThat(page.path("messages").isEmpty()).isTrue();
    assertThat(page.path("hasMore").asBoolean()).isFalse();
    assertThat(page.path("nextBeforeSeq").asLong()).isZero();
  }

  // --- membership ----------------------------------------------------------------------------

  @Test
  void thirdUserOnASingleConversation_is403NotAMember() throws Exception {
    long alice = userIds.incrementAndGet();
    long bob = userIds.incrementAndGet();
    String conversation = Conversations.single(alice, bob);
    store(alice, conversation(alice, bob, 1, 2));

    Response response = api.get(messagesPath(conversation, ""), token(userIds.incrementAndGet()));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.code()).isEqualTo("not-a-member");
    assertThat(response.body()).doesNotContain("message 1");
  }

  @Test
  void otherConversationKinds_areReadableOnlyByWhomOfflineStoreKnowsAsMember() throws Exception {
    long sender = userIds.incrementAndGet();
    long stranger = userIds.incrementAndGet();
    String group = "g_history_" + suffix;
    store(sender, List.of(groupChat(sender, group, 1), groupChat(sender, group, 2)));

    Response forStranger = api.get(messagesPath(group, ""), token(stranger));

    assertThat(seqs(page(group, token(sender), ""))).containsExactly(1L, 2L);
    assertThat(forStranger.status()).isEqualTo(403);
    assertThat(forStranger.code()).isEqualTo("not-a-member");
  }

  // --- validation ----------------------------------------------------------------------------

  @Test
  void limitOutOfRangeOrNegativeBeforeSeq_is400ValidationFailed() {
    long alice = userIds.incrementAndGet();
    String conversation = Conversations.single(alice, userIds.incrementAndGet());
    String token = token(alice);

    for (String query : List.of("?limit=0", "?limit=101", "?limit=x", "?beforeSeq=-1")) {
      Response response = api.get(messagesPath(conversation, query), token);
      assertThat(response.status()).as(query).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.code()).as(query).isEqualTo("validation-failed");
    }
    assertThat(api.get(messagesPath(conversation, "?limit=100"), token).status()).isEqualTo(200);
  }

  @Test
  void malformedConversationId_is400ValidationFailed() {
    long alice = userIds.incrementAndGet();
    String token = token(alice);

    for (String id :
        List.of(
            "s_" + (alice + 1) + "_" + alice,
            "s_" + alice + "_x",
            "s_0_" + alice,
            "g%20team",
            "g" + "x".repeat(80))) {
      Response response = api.get("/api/v1/conversations/" + id + "/messages", token);
      assertThat(response.status()).as(id).isEqualTo(400);
      assertThat(response.code()).as(id).isEqualTo("validation-failed");
    }
  }

  @Test
  void withoutToken_is401() {
    Response response = api.get(messagesPath("s_1_2", ""));

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.code()).isEqualTo("unauthorized");
  }

  // --- availability --------------------------------------------------------------------------

  @Test
  void deadOfflineStoreInstanceRegistered_callsAreRetriedOnTheLiveOne() throws Exception {
    long alice = userIds.incrementAndGet();
    long bob = userIds.incrementAndGet();
    String conversation = Conversations.single(alice, bob);
    store(alice, conversation(alice, bob, 1, 3));
    String token = token(alice);
    double retriesBefore = retries();

    try (Registration dead = registerDeadOfflineStore()) {
      // Round robin hands the dead instance out every other call once account-api sees it: each
      // such call must still be answered, from the live instance.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                for (int i = 0; i < 4; i++) {
                  assertThat(seqs(page(conversation, token, ""))).containsExactly(1L, 2L, 3L);
                }
                assertThat(retries()).isGreaterThan(retriesBefore);
              });
    }
  }

  /** Last: it stops offline-store for good. */
  @Test
  @Order(Integer.MAX_VALUE)
  void offlineStoreStoppedOrUnreachable_is503DependencyUnavailable() throws Exception {
    long alice = userIds.incrementAndGet();
    String single = Conversations.single(alice, userIds.incrementAndGet());
    String group = "g_gone_" + suffix;
    String token = token(alice);

    try (Registration dead = registerDeadOfflineStore()) {
      // Once a call was retried, account-api knows the dead instance: from now on every call
      // meets an instance that is registered but does not answer.
      double retriesBefore = retries();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(api.get(messagesPath(single, ""), token).status()).isEqualTo(200);
                assertThat(retries()).isGreaterThan(retriesBefore);
              });

      offlineStore.close();

      for (String conversation : List.of(single, group)) {
        assertUnavailable(api.get(messagesPath(conversation, ""), token));
      }
    }
    // And with no instance registered at all.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertUnavailable(api.get(messagesPath(single, ""), token)));
  }

  private static void assertUnavailable(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(503);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.code()).isEqualTo("dependency-unavailable");
    assertThat(response.raw().headers().firstValue("Retry-After")).hasValue("1");
  }

  // --- helpers -------------------------------------------------------------------------------

  private String token(long userId) {
    return tokens.issue(userId, "laptop", Duration.ofHours(1)).token();
  }

  private static String messagesPath(String conversationId, String query) {
    return "/api/v1/conversations/" + conversationId + "/messages" + query;
  }

  private JsonNode page(String conversationId, String token, String query) {
    Response response = api.get(messagesPath(conversationId, query), token);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static long next(JsonNode page) {
    return page.path("nextBeforeSeq").asLong();
  }

  private static List<Long> seqs(JsonNode page) {
    return StreamSupport.stream(page.path("messages").spliterator(), false)
        .map(message -> message.path("seq").asLong())
        .toList();
  }

  /** Appends to the log and waits until offline-store has stored all of it. */
  private void store(long member, List<ChatMsg> messages) throws Exception {
    log.append(messages);
    String conversation = messages.get(0).getConversationId();
    List<Long> expected = messages.stream().map(ChatMsg::getSeq).toList();
    String token = token(member);
    await()
        .atMost(STORED_WITHIN)
        .untilAsserted(
            () -> assertThat(seqs(page(conversation, token, "?limit=100"))).containsAll(expected));
  }

  /** Seqs first..last, alternating senders. */
  private List<ChatMsg> conversation(long a, long b, long first, long last) {
    List<ChatMsg> messages = new ArrayList<>();
    for (long seq = first; seq <= last; seq++) {
      messages.add(
          seq % 2 == 1
              ? chat(a, b, seq, "message " + seq + " from " + a)
              : chat(b, a, seq, "message " + seq + " from " + b));
    }
    return messages;
  }

  private ChatMsg chat(long from, long to, long seq, String body) {
    long id = messageIds.incrementAndGet();
    return ChatMsg.newBuilder()
        .setId(id)
        .setClientMsgId("c-" + id)
        .setFromId(from)
        .setDestId(to)
        .setConversationId(Conversations.single(from, to))
        .setConversationType(ConversationType.SINGLE)
        .setContentType(ContentType.TEXT)
        .setMsgBody(body)
        .setSeq(seq)
        .setSentAtMs(System.currentTimeMillis())
        .setFromDeviceId("phone")
        .build();
  }

  private ChatMsg groupChat(long from, String group, long seq) {
    long id = messageIds.incrementAndGet();
    return ChatMsg.newBuilder()
        .setId(id)
        .setClientMsgId("c-" + id)
        .setFromId(from)
        .setConversationId(group)
        .setConversationType(ConversationType.GROUP)
        .setContentType(ContentType.TEXT)
        .setMsgBody("group message " + seq)
        .setSeq(seq)
        .setSentAtMs(System.currentTimeMillis())
        .build();
  }

  /** An offline-store registration whose port nobody listens on: calls to it are UNAVAILABLE. */
  private Registration registerDeadOfflineStore() {
    int port = Ports.freePort();
    return discovery.register(
        new ServiceEndpoint(
            ServiceNames.OFFLINE_STORE,
            "offline-store-dead-" + UUID.randomUUID().toString().substring(0, 8),
            "127.0.0.1",
            port,
            Map.of("grpc", port)));
  }

  /** account-api's count of offline-store calls tried again on another instance. */
  private double retries() {
    Response metrics = api.get("/actuator/prometheus");
    assertThat(metrics.status()).isEqualTo(200);
    return metrics
        .body()
        .lines()
        .filter(line -> line.startsWith("account_offline_store_retries_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
