package dev.switchboard.transfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.SendAckBatchRequest;
import dev.switchboard.proto.internal.SendAckRequest;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendAckResult;
import dev.switchboard.proto.internal.SendChatBatchRequest;
import dev.switchboard.proto.internal.SendChatRequest;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.proto.internal.SendChatResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two transfer instances on one real MariaDB, Kafka and ZooKeeper, called over gRPC as connectors
 * call them. Each test uses its own pair of users, hence its own conversation.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferServerIT {
  private static final Logger log = LoggerFactory.getLogger(TransferServerIT.class);
  private static final long UNKNOWN_USER = 999_999;

  private final AtomicLong nextUser = new AtomicLong(1);
  private TestDatabase db;
  private TransferFixture first;
  private TransferFixture second;
  private MessageLogReader topic;

  @BeforeAll
  void startTwoInstances(EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk)
      throws Exception {
    db = TestDatabase.create(mariaDb, "transfer_it");
    db.createUsersTable();
    db.insertUsers(1, 1_000);
    String topicName = "it.transfer." + UUID.randomUUID();
    first =
        TransferFixture.start(
            TransferFixture.env(kafka.bootstrapServers(), topicName, db, zk.connectString()));
    second =
        TransferFixture.start(
            TransferFixture.env(kafka.bootstrapServers(), topicName, db, zk.connectString()));
    topic = new MessageLogReader(kafka.bootstrapServers(), topicName);
  }

  @AfterAll
  void stop() throws Exception {
    if (topic != null) {
      topic.close();
    }
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  private long[] newUsers() {
    return new long[] {nextUser.getAndIncrement(), nextUser.getAndIncrement()};
  }

  private static ChatMsg text(long from, long dest, String clientMsgId, String body) {
    return ChatMsg.newBuilder()
        .setFromId(from)
        .setFromDeviceId("phone")
        .setDestId(dest)
        .setClientMsgId(clientMsgId)
        .setMsgBody(body)
        .build();
  }

  private static String conversation(long a, long b) {
    return "s_" + Math.min(a, b) + "_" + Math.max(a, b);
  }

  @Test
  void twoInstances_leaseDifferentWorkerIds() {
    assertThat(first.server.workerId()).isNotEqualTo(second.server.workerId());
  }

  @Test
  void sent_isAnsweredOnlyOnceTheRecordIsInKafka() {
    long[] u = newUsers();
    SendChatResponse response = first.send(text(u[0], u[1], "c-1", "hello"));

    assertThat(response.hasSent()).as("%s", response).isTrue();
    AckMsg sent = response.getSent();
    assertThat(sent.getMsgType()).isEqualTo(MsgType.SENT);
    assertThat(sent.getAckMsgId()).isPositive();
    assertThat(sent.getSeq()).isEqualTo(1);
    assertThat(sent.getClientMsgId()).isEqualTo("c-1");
    assertThat(sent.getConversationId()).isEqualTo(conversation(u[0], u[1]));
    assertThat(sent.getFromId()).isEqualTo(u[0]);
    assertThat(sent.getDestId()).isEqualTo(u[1]);
    assertThat(sent.getSentAtMs()).isPositive();

    // The broker acknowledged before SENT, so the record is readable now or within a poll.
    List<ChatMsg> logged = topic.awaitChats(m -> m.getId() == sent.getAckMsgId(), 1);
    ChatMsg record = logged.get(0);
    assertThat(record.getSeq()).isEqualTo(sent.getSeq());
    assertThat(record.getConversationId()).isEqualTo(sent.getConversationId());
    assertThat(record.getFromId()).isEqualTo(u[0]);
    assertThat(record.getFromDeviceId()).isEqualTo("phone");
    assertThat(record.getMsgBody()).isEqualTo("hello");
    assertThat(record.getContentType()).isEqualTo(ContentType.TEXT);
    assertThat(record.getConversationType()).isEqualTo(ConversationType.SINGLE);
    assertThat(record.getSentAtMs()).isEqualTo(sent.getSentAtMs());
    assertThat(
            topic.poll().stream()
                .filter(e -> e.event().hasChat() && e.event().getChat().getId() == record.getId())
                .map(MessageLogReader.Entry::key))
        .containsExactly(sent.getConversationId());
  }

  @Test
  void sequentialSendsBothWays_getSeqOneToNWithoutGaps() {
    long[] u = newUsers();
    int n = 40;
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long from = u[i % 2];
      long dest = u[(i + 1) % 2];
      TransferFixture via = i % 3 == 0 ? second : first;
      SendChatResponse response = via.send(text(from, dest, "seq-" + i, "m" + i));
      assertThat(response.hasSent()).as("%s", response).isTrue();
      seqs.add(response.getSent().getSeq());
    }
    assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
  }

  @Test
  void concurrentSendsOnTwoInstances_getUniqueGapFreeSeqs() throws Exception {
    long[] u = newUsers();
    String conversation = conversation(u[0], u[1]);
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    ConcurrentLinkedQueue<AckMsg> sent = new ConcurrentLinkedQueue<>();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                go.await();
                TransferFixture via = thread % 2 == 0 ? first : second;
                long from = u[thread % 2];
                long dest = u[(thread + 1) % 2];
                for (int i = 0; i < perThread; i++) {
                  SendChatResponse r = via.send(text(from, dest, "t" + thread + "-" + i, "x"));
                  assertThat(r.hasSent()).as("%s", r).isTrue();
                  sent.add(r.getSent());
                }
                return null;
              }));
    }
    long started = System.nanoTime();
    go.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    int total = threads * perThread;
    log.info(
        "{} concurrent sends over 2 instances in {} s: {} sends/s",
        total,
        String.format("%.2f", seconds),
        String.format("%.0f", total / seconds));

    assertThat(sent).hasSize(total);
    assertThat(sent.stream().map(AckMsg::getSeq).sorted().toList())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(sent.stream().map(AckMsg::getAckMsgId).distinct().count()).isEqualTo(total);

    List<ChatMsg> logged = topic.awaitChats(m -> m.getConversationId().equals(conversation), total);
    Set<Long> loggedSeqs = new HashSet<>();
    logged.forEach(m -> loggedSeqs.add(m.getSeq()));
    assertThat(loggedSeqs).hasSize(total);
    // One partition per conversation, so a consumer sees each sender's messages in send order.
    assertThat(
            topic.poll().stream()
                .filter(e -> e.event().hasChat() && e.key().equals(conversation))
                .map(MessageLogReader.Entry::partition)
                .distinct())
        .hasSize(1);
  }

  @Test
  void manyConversationsInParallel_eachGetsItsOwnGapFreeSeqs() throws Exception {
    int conversations = 8;
    int perConversation = 40;
    long[][] pairs = new long[conversations][];
    for (int c = 0; c < conversations; c++) {
      pairs[c] = newUsers();
    }
    ExecutorService pool = Executors.newFixedThreadPool(conversations);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Long>>> done = new ArrayList<>();
    for (int c = 0; c < conversations; c++) {
      long[] u = pairs[c];
      TransferFixture via = c % 2 == 0 ? first : second;
      done.add(
          pool.submit(
              () -> {
                go.await();
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < perConversation; i++) {
                  SendChatResponse r = via.send(text(u[i % 2], u[(i + 1) % 2], "p" + i, "x"));
                  assertThat(r.hasSent()).as("%s", r).isTrue();
                  seqs.add(r.getSent().getSeq());
                }
                return seqs;
              }));
    }
    long started = System.nanoTime();
    go.countDown();
    for (Future<List<Long>> f : done) {
      assertThat(f.get(60, TimeUnit.SECONDS))
          .containsExactlyElementsOf(LongStream.rangeClosed(1, perConversation).boxed().toList());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    log.info(
        "{} sends in {} parallel conversations over 2 instances in {} s: {} sends/s",
        conversations * perConversation,
        conversations,
        String.format("%.2f", seconds),
        String.format("%.0f", conversations * perConversation / seconds));
  }

  @Test
  void resentClientMsgId_answersTheOriginalAndStoresNoSecondRow() throws Exception {
    long[] u = newUsers();
    AckMsg original = first.send(text(u[0], u[1], "resend-1", "hi")).getSent();
    SendChatResponse again = second.send(text(u[0], u[1], "resend-1", "hi (again)"));

    assertThat(again.hasSent()).isTrue();
    assertThat(again.getSent()).isEqualTo(original);
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM accepted_message WHERE sender_id = ? AND client_msg_id = ?",
                u[0],
                "resend-1"))
        .isEqualTo(1);
    // The resend took no seq: the next message follows directly.
    AckMsg reply = first.send(text(u[1], u[0], "reply", "yo")).getSent();
    assertThat(reply.getSeq()).isEqualTo(2);
    // Produced again only while its first append was not yet marked published (consumers dedupe
    // by id), and always with the original content.
    topic.awaitChats(m -> m.getId() == reply.getAckMsgId(), 1);
    List<ChatMsg> logged = topic.chats(m -> m.getId() == original.getAckMsgId());
    assertThat(logged).isNotEmpty().allSatisfy(m -> assertThat(m.getMsgBody()).isEqualTo("hi"));
  }

  @Test
  void resendOfAMessageKnownPublished_isAnsweredWithoutProducingItAgain() throws Exception {
    long[] u = newUsers();
    AckMsg original = first.send(text(u[0], u[1], "published-1", "hi")).getSent();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> OutboxRows.published(db, original.getAckMsgId()));

    assertThat(second.send(text(u[0], u[1], "published-1", "hi")).getSent()).isEqualTo(original);

    AckMsg next = first.send(text(u[0], u[1], "published-2", "next")).getSent();
    topic.awaitChats(m -> m.getId() == next.getAckMsgId(), 1);
    assertThat(topic.chats(m -> m.getId() == original.getAckMsgId())).hasSize(1);
  }

  @Test
  void concurrentResendsOfOneClientMsgId_allGetTheSameAnswer() throws Exception {
    long[] u = newUsers();
    int threads = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<SendChatResponse>> answers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      TransferFixture via = t % 2 == 0 ? first : second;
      answers.add(
          pool.submit(
              () -> {
                go.await();
                return via.send(text(u[0], u[1], "same", "once"));
              }));
    }
    go.countDown();
    Set<AckMsg> distinct = new HashSet<>();
    for (Future<SendChatResponse> answer : answers) {
      SendChatResponse r = answer.get(30, TimeUnit.SECONDS);
      assertThat(r.hasSent()).as("%s", r).isTrue();
      distinct.add(r.getSent());
    }
    pool.shutdown();
    assertThat(distinct).hasSize(1);
    assertThat(distinct.iterator().next().getSeq()).isEqualTo(1);
    assertThat(
            db.count(
                "SELECT COUNT(*) FROM accepted_message WHERE sender_id = ? AND client_msg_id = ?",
                u[0],
                "same"))
        .isEqualTo(1);
    assertThat(
            db.count(
                "SELECT last_seq FROM conversation_seq WHERE conversation_id = ?",
                conversation(u[0], u[1])))
        .isEqualTo(1);
  }

  @Test
  void unknownDestination_isRefusedAndNothingIsStored() throws Exception {
    long[] u = newUsers();
    SendChatResponse response = first.send(text(u[0], UNKNOWN_USER, "to-nobody", "hello?"));

    assertThat(response.hasError()).isTrue();
    assertThat(response.getError().getCode()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION);
    assertThat(response.getError().getMessage()).isEqualTo("no user " + UNKNOWN_USER);
    assertThat(response.getError().getClientMsgId()).isEqualTo("to-nobody");
    assertThat(db.count("SELECT COUNT(*) FROM accepted_message WHERE sender_id = ?", u[0]))
        .isZero();
  }

  @Test
  void invalidMessages_areRefusedWithAClearReason() throws Exception {
    long[] u = newUsers();
    SendChatResponse noId = first.send(text(u[0], u[1], "", "x"));
    assertThat(noId.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(noId.getError().getMessage()).contains("client_msg_id");

    SendChatResponse tooLong = first.send(text(u[0], u[1], "big", "a".repeat(16 * 1024 + 1)));
    assertThat(tooLong.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(tooLong.getError().getMessage()).contains("msg_body");
    assertThat(tooLong.getError().getClientMsgId()).isEqualTo("big");

    SendChatResponse noDest = first.send(text(u[0], 0, "nodest", "x"));
    assertThat(noDest.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);

    SendChatResponse file =
        first.send(
            text(u[0], u[1], "file", "").toBuilder().setContentType(ContentType.FILE).build());
    assertThat(file.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);

    SendChatResponse group =
        first.send(
            text(u[0], u[1], "grp", "x").toBuilder()
                .setConversationType(ConversationType.GROUP)
                .build());
    assertThat(group.getError().getCode()).isEqualTo(ErrorCode.UNSUPPORTED);

    assertThat(db.count("SELECT COUNT(*) FROM accepted_message WHERE sender_id = ?", u[0]))
        .isZero();
    // The conversation still starts at 1: refusals take no seq.
    assertThat(first.send(text(u[0], u[1], "ok", "x")).getSent().getSeq()).isEqualTo(1);
  }

  @Test
  void batch_answersEveryItemInRequestOrder_asItsOwnCallWould() throws Exception {
    long[] u = newUsers();
    long[] v = newUsers();
    List<SendChatResult> response =
        byIndex(
            first
                .stub()
                .sendChatBatch(
                    SendChatBatchRequest.newBuilder()
                        .addRequests(chatRequest(text(u[0], u[1], "b-1", "one")))
                        .addRequests(chatRequest(text(u[0], UNKNOWN_USER, "b-2", "to nobody")))
                        .addRequests(chatRequest(text(v[0], v[1], "b-3", "other pair")))
                        .addRequests(chatRequest(text(u[0], u[1], "", "no id")))
                        .build()),
            SendChatResult::getIndex);

    assertThat(response).hasSize(4);
    AckMsg one = response.get(0).getResponse().getSent();
    assertThat(one.getClientMsgId()).isEqualTo("b-1");
    assertThat(one.getSeq()).isEqualTo(1);
    assertThat(response.get(1).getResponse().getError().getCode())
        .isEqualTo(ErrorCode.UNKNOWN_DESTINATION);
    assertThat(response.get(2).getResponse().getSent().getClientMsgId()).isEqualTo("b-3");
    assertThat(response.get(3).getResponse().getError().getCode())
        .isEqualTo(ErrorCode.INVALID_MESSAGE);
    topic.awaitChats(m -> m.getId() == one.getAckMsgId(), 1);

    // The whole batch again (a connector's retry after a lost answer): the same SENTs, no rows.
    List<SendChatResult> again =
        byIndex(
            second
                .stub()
                .sendChatBatch(
                    SendChatBatchRequest.newBuilder()
                        .addRequests(chatRequest(text(u[0], u[1], "b-1", "one")))
                        .addRequests(chatRequest(text(v[0], v[1], "b-3", "other pair")))
                        .build()),
            SendChatResult::getIndex);
    assertThat(again.get(0).getResponse().getSent()).isEqualTo(one);
    assertThat(again.get(1).getResponse().getSent())
        .isEqualTo(response.get(2).getResponse().getSent());
    assertThat(db.count("SELECT COUNT(*) FROM accepted_message WHERE sender_id = ?", u[0]))
        .isEqualTo(1);
  }

  @Test
  void receiptBatch_answersEveryItem() {
    long[] u = newUsers();
    AckMsg sent = first.send(text(u[0], u[1], "ack-batch", "hi")).getSent();
    AckMsg delivered = delivered(u[1], u[0], sent, "ack-batch");
    AckMsg forged =
        delivered.toBuilder().setConversationId(conversation(u[1], UNKNOWN_USER)).build();

    List<SendAckResult> response =
        byIndex(
            first
                .stub()
                .sendAckBatch(
                    SendAckBatchRequest.newBuilder()
                        .addRequests(SendAckRequest.newBuilder().setAck(delivered))
                        .addRequests(SendAckRequest.newBuilder().setAck(forged))
                        .build()),
            SendAckResult::getIndex);

    assertThat(response).hasSize(2);
    assertThat(response.get(0).hasResponse()).isTrue();
    assertThat(response.get(0).getResponse().hasError()).isFalse();
    assertThat(response.get(1).getResponse().getError().getCode())
        .isEqualTo(ErrorCode.INVALID_MESSAGE);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(
            () ->
                topic.acks(
                    a ->
                        a.getAckMsgId() == sent.getAckMsgId()
                            && a.getMsgType() == MsgType.DELIVERED),
            list -> list.size() == 1);
  }

  /** A streamed batch answer in request order; every index exactly once. */
  private static <R> List<R> byIndex(
      java.util.Iterator<R> stream, java.util.function.ToIntFunction<R> indexOf) {
    java.util.TreeMap<Integer, R> results = new java.util.TreeMap<>();
    stream.forEachRemaining(
        result ->
            assertThat(results.put(indexOf.applyAsInt(result), result))
                .as("answered twice")
                .isNull());
    assertThat(results.keySet())
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, results.size()).boxed().toList());
    return new ArrayList<>(results.values());
  }

  /** {@code from}'s DELIVERED receipt for {@code sent}, through its seq. */
  private static AckMsg delivered(long from, long to, AckMsg sent, String clientMsgId) {
    return AckMsg.newBuilder()
        .setMsgType(MsgType.DELIVERED)
        .setFromId(from)
        .setDestId(to)
        .setAckMsgId(sent.getAckMsgId())
        .setClientMsgId(clientMsgId)
        .setConversationId(sent.getConversationId())
        .setSeq(sent.getSeq())
        .setDeliveredThroughSeq(sent.getSeq())
        .build();
  }

  private static SendChatRequest chatRequest(ChatMsg msg) {
    return SendChatRequest.newBuilder().setMsg(msg).setConnectorId("it").build();
  }

  @Test
  void receipt_isMadeDurableWithItsOwnId() {
    long[] u = newUsers();
    AckMsg sent = first.send(text(u[0], u[1], "to-ack", "read me")).getSent();
    AckMsg read =
        AckMsg.newBuilder()
            .setMsgType(MsgType.READ)
            .setFromId(u[1])
            .setDestId(u[0])
            .setAckMsgId(sent.getAckMsgId())
            .setClientMsgId("to-ack")
            .setConversationId(sent.getConversationId())
            .setSeq(sent.getSeq())
            .build();

    SendAckResponse response =
        second
            .stub()
            .sendAck(SendAckRequest.newBuilder().setAck(read).setConnectorId("it").build());

    assertThat(response.hasError()).as("%s", response).isFalse();
    List<AckMsg> logged =
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(20))
            .until(
                () -> topic.acks(a -> a.getAckMsgId() == sent.getAckMsgId()),
                list -> !list.isEmpty());
    AckMsg receipt = logged.get(0);
    assertThat(receipt.getId()).isPositive().isNotEqualTo(sent.getAckMsgId());
    assertThat(receipt.getMsgType()).isEqualTo(MsgType.READ);
    assertThat(receipt.getSeq()).isEqualTo(sent.getSeq());
    assertThat(receipt.getSentAtMs()).isPositive();
  }

  @Test
  void retriedReceipt_isStoredOnce() {
    long[] u = newUsers();
    AckMsg sent = first.send(text(u[0], u[1], "ack-twice", "hi")).getSent();
    AckMsg delivered = delivered(u[1], u[0], sent, "ack-twice");

    // The connector did not get the first answer and retries the same SendAck.
    assertThat(first.sendAck(delivered).hasError()).isFalse();
    assertThat(first.sendAck(delivered).hasError()).isFalse();

    // A later record of the same conversation (same partition) is read after both receipts.
    AckMsg after = first.send(text(u[0], u[1], "after-acks", "x")).getSent();
    topic.awaitChats(m -> m.getId() == after.getAckMsgId(), 1);
    assertThat(
            topic.acks(
                a -> a.getAckMsgId() == sent.getAckMsgId() && a.getMsgType() == MsgType.DELIVERED))
        .hasSize(1);
  }

  @Test
  void receiptForAnotherConversation_isInvalid() {
    long[] u = newUsers();
    AckMsg forged =
        AckMsg.newBuilder()
            .setMsgType(MsgType.DELIVERED)
            .setFromId(u[1])
            .setDestId(u[0])
            .setAckMsgId(1)
            .setConversationId(conversation(u[1], UNKNOWN_USER))
            .build();
    SendAckResponse response =
        first.stub().sendAck(SendAckRequest.newBuilder().setAck(forged).build());
    assertThat(response.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);

    SendAckResponse sentType =
        first
            .stub()
            .sendAck(
                SendAckRequest.newBuilder()
                    .setAck(
                        forged.toBuilder()
                            .setMsgType(MsgType.SENT)
                            .setConversationId(conversation(u[0], u[1])))
                    .build());
    assertThat(sentType.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
  }

  @Test
  void metrics_countAcceptedAndRefused() throws Exception {
    long[] u = newUsers();
    first.send(text(u[0], u[1], "m-1", "x"));
    first.send(text(u[0], UNKNOWN_USER, "m-2", "x"));
    HttpResponse<String> scrape =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + first.server.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("transfer_messages_accepted_total")
        .contains("transfer_requests_refused_total{code=\"UNKNOWN_DESTINATION\"")
        .contains("transfer_sendchat_latency_seconds_count");
  }
}
