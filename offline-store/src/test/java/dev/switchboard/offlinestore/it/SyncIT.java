package dev.switchboard.offlinestore.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.history.HistoryPage;
import dev.switchboard.offlinestore.history.HistoryService;
import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.Databases;
import dev.switchboard.offlinestore.store.StoreProgress;
import dev.switchboard.offlinestore.sync.AllocatedSeqs;
import dev.switchboard.offlinestore.sync.ConversationMembers;
import dev.switchboard.offlinestore.sync.SyncCursor;
import dev.switchboard.offlinestore.sync.SyncPage;
import dev.switchboard.offlinestore.sync.SyncService;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.AckReceiptsRequest;
import dev.switchboard.proto.internal.AdvanceCursorRequest;
import dev.switchboard.proto.internal.AdvanceCursorResponse;
import dev.switchboard.proto.internal.AdvanceCursorsRequest;
import dev.switchboard.proto.internal.AdvanceCursorsResponse;
import dev.switchboard.proto.internal.ConversationHead;
import dev.switchboard.proto.internal.HistoryRequest;
import dev.switchboard.proto.internal.HistoryResponse;
import dev.switchboard.proto.internal.IsMemberRequest;
import dev.switchboard.proto.internal.MarkReadRequest;
import dev.switchboard.proto.internal.MarkReadResponse;
import dev.switchboard.proto.internal.SyncRequest;
import dev.switchboard.proto.internal.SyncResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sync, cursors, read marks and history over gRPC against one server fed through real Kafka. Every
 * test uses users of its own, hence conversations of its own.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncIT {
  private static final Duration STORED_WITHIN = Duration.ofSeconds(20);
  private static final int MAX_CONVERSATIONS_PER_PAGE = 5;

  private final Messages messages = new Messages();
  private TestDatabase db;
  private LogWriter topic;
  private OfflineStoreFixture store;

  @BeforeAll
  void start(EmbeddedMariaDb mariaDb, EmbeddedKafka kafka, EmbeddedZooKeeper zk) throws Exception {
    db = TestDatabase.create(mariaDb, "offline_sync");
    // transfer's allocator table lives in the same database in a real deployment.
    db.createConversationSeqTable();
    db.createConversationMemberTable();
    topic = new LogWriter(kafka.bootstrapServers(), "it.offline.sync." + UUID.randomUUID(), 3);
    Map<String, String> env =
        OfflineStoreFixture.env(topic, "offline-sync-it", db, zk.connectString());
    env.put("IM_OFFLINE_SYNC_MAX_CONVERSATIONS", Integer.toString(MAX_CONVERSATIONS_PER_PAGE));
    env.put("IM_OFFLINE_SYNC_MAX_WAIT", "5s");
    store = OfflineStoreFixture.start(env);
  }

  @AfterAll
  void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    if (topic != null) {
      topic.close();
    }
  }

  // ---- Sync -------------------------------------------------------------------------------

  @Test
  void offlineUser_getsEveryMessageInSeqOrderPerConversation_acrossPages() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = new ArrayList<>();
    sent.addAll(messages.conversation(user, messages.newUser(), 1, 7));
    sent.addAll(messages.conversation(messages.newUser(), user, 1, 4));
    sent.addAll(messages.conversation(user, messages.newUser(), 1, 9));
    stored(sent);

    List<SyncResponse> pages = syncAll(user, "phone", 6);

    assertThat(pages).hasSize(4); // 6 + 6 + 6 + 2
    assertThat(pages.subList(0, 3)).allMatch(SyncResponse::getHasMore);
    assertThat(pages.get(3).getHasMore()).isFalse();
    List<ChatMsg> got = pages.stream().flatMap(p -> p.getMessagesList().stream()).toList();
    assertThat(got).extracting(ChatMsg::getId).containsExactlyInAnyOrderElementsOf(ids(sent));
    Map<String, List<Long>> seqs = seqsByConversation(got);
    assertThat(seqs).hasSize(3);
    seqs.forEach(
        (conversation, inOrder) ->
            assertThat(inOrder).isEqualTo(range(1, countIn(sent, conversation))));
    // Conversations come one after the other, each in seq order.
    assertThat(got).extracting(ChatMsg::getConversationId).isSorted();
    // Every conversation shows up in the heads: stored, nothing delivered to this device.
    Map<String, ConversationHead> heads = heads(pages);
    assertThat(heads).hasSize(3);
    heads.forEach(
        (conversation, head) -> {
          assertThat(head.getStoredSeq()).isEqualTo(countIn(sent, conversation));
          assertThat(head.getDeliveredSeq()).isZero();
          assertThat(head.getAllocatedSeq()).isZero(); // no conversation_seq row in this test
        });
  }

  @Test
  void userWithMoreConversationsThanOnePageLooksAt_getsThemAllOverSeveralPages() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = new ArrayList<>();
    for (int i = 0; i < 2 * MAX_CONVERSATIONS_PER_PAGE + 2; i++) {
      sent.add(messages.chat(messages.newUser(), user, 1));
    }
    stored(sent);

    List<SyncResponse> pages = syncAll(user, "phone", 100);

    assertThat(pages.size()).isGreaterThanOrEqualTo(3);
    assertThat(pages.stream().flatMap(p -> p.getMessagesList().stream()))
        .extracting(ChatMsg::getId)
        .containsExactlyInAnyOrderElementsOf(ids(sent));
  }

  @Test
  void malformedCursorAndBadFields_areRejectedWithInvalidArgument() {
    long user = messages.newUser();
    String notOurs =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("v9.1.2.s_1_2".getBytes(StandardCharsets.US_ASCII));
    for (SyncRequest bad :
        List.of(
            syncRequest(user, "phone").setCursor("not a cursor!").build(),
            syncRequest(user, "phone").setCursor(notOurs).build(),
            syncRequest(user, "phone").setCursor("djEuLTEuMi5zXzFfMg").build(), // v1.-1.2.s_1_2
            syncRequest(0, "phone").build(),
            syncRequest(user, "").build(),
            syncRequest(user, "x".repeat(65)).build(),
            syncRequest(user, "phone").setLimit(-1).build(),
            syncRequest(user, "phone").setWaitMs(-5).build())) {
      assertThatThrownBy(() -> store.stub().sync(bad))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
    assertThatThrownBy(
            () ->
                store
                    .stub()
                    .advanceCursor(
                        AdvanceCursorRequest.newBuilder()
                            .setUserId(user)
                            .setDeviceId("phone")
                            .setConversationId("has space")
                            .setDeliveredSeq(1)
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void concurrentAdvances_committedInBatches_endAtEachDevicesHighest_andAnswerEachCall()
      throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = messages.conversation(user, messages.newUser(), 1, 40);
    String conversation = sent.get(0).getConversationId();
    stored(sent);
    java.util.concurrent.ExecutorService callers =
        java.util.concurrent.Executors.newFixedThreadPool(24);
    try {
      List<java.util.concurrent.Future<AdvanceCursorResponse>> calls = new java.util.ArrayList<>();
      for (int device = 0; device < 8; device++) {
        for (long seq = 1; seq <= 40; seq++) {
          String id = "device-" + device;
          long s = seq;
          calls.add(callers.submit(() -> advance(user, id, conversation, s)));
        }
      }
      for (java.util.concurrent.Future<AdvanceCursorResponse> call : calls) {
        AdvanceCursorResponse answer = call.get(1, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(answer.getMember()).isTrue();
        assertThat(answer.getDeliveredSeq()).isBetween(1L, 40L);
      }
    } finally {
      callers.shutdownNow();
    }
    for (int device = 0; device < 8; device++) {
      assertThat(advance(user, "device-" + device, conversation, 1).getDeliveredSeq())
          .isEqualTo(40);
      assertThat(sync(user, "device-" + device).getMessagesList()).isEmpty();
    }
  }

  @Test
  void batchedAdvancesOfMixedKinds_eachGetTheirOwnAnswer() throws Exception {
    long user = messages.newUser();
    long stranger = messages.newUser();
    List<ChatMsg> five = messages.conversation(user, messages.newUser(), 1, 5);
    List<ChatMsg> three = messages.conversation(messages.newUser(), user, 1, 3);
    stored(five);
    stored(three);
    String a = five.get(0).getConversationId();
    String b = three.get(0).getConversationId();
    // Accepted by transfer, none stored yet: its head is the allocated seq.
    String c = messages.chat(user, messages.newUser(), 1).getConversationId();
    db.allocate(c, 7);

    java.util.concurrent.ExecutorService callers =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<AdvanceCursorResponse>> toA = new java.util.ArrayList<>();
      List<java.util.concurrent.Future<AdvanceCursorResponse>> toB = new java.util.ArrayList<>();
      List<java.util.concurrent.Future<AdvanceCursorResponse>> toC = new java.util.ArrayList<>();
      List<java.util.concurrent.Future<AdvanceCursorResponse>> strangers =
          new java.util.ArrayList<>();
      for (int round = 0; round < 20; round++) {
        toA.add(callers.submit(() -> advance(user, "phone", a, 4)));
        toB.add(callers.submit(() -> advance(user, "phone", b, 1_000)));
        toC.add(callers.submit(() -> advance(user, "laptop", c, 6)));
        strangers.add(callers.submit(() -> advance(stranger, "phone", a, 2)));
      }
      for (var call : toA) {
        assertThat(call.get(1, java.util.concurrent.TimeUnit.MINUTES).getDeliveredSeq())
            .isEqualTo(4);
      }
      for (var call : toB) { // clamped to the stored head
        assertThat(call.get(1, java.util.concurrent.TimeUnit.MINUTES).getDeliveredSeq())
            .isEqualTo(3);
      }
      for (var call : toC) { // below the allocated head: taken as it is
        assertThat(call.get(1, java.util.concurrent.TimeUnit.MINUTES).getDeliveredSeq())
            .isEqualTo(6);
      }
      for (var call : strangers) {
        AdvanceCursorResponse answer = call.get(1, java.util.concurrent.TimeUnit.MINUTES);
        assertThat(answer.getMember()).isFalse();
        assertThat(answer.getDeliveredSeq()).isZero();
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(seqsOf(sync(user, "phone"))).containsExactly(5L);
  }

  @Test
  void largeMessages_comeInPagesOfAtMostHalfAMebibyte_andAllArriveInOrder() throws Exception {
    long user = messages.newUser();
    long peer = messages.newUser();
    String body = "x".repeat(60_000); // near the 64 KiB client frame limit
    List<ChatMsg> sent = new ArrayList<>();
    for (ChatMsg m : messages.conversation(peer, user, 1, 30)) {
      sent.add(m.toBuilder().setMsgBody(body).build());
    }
    stored(sent);

    List<SyncResponse> pages = syncAll(user, "phone", 0);

    for (SyncResponse page : pages) {
      int bytes = page.getMessagesList().stream().mapToInt(ChatMsg::getSerializedSize).sum();
      assertThat(bytes).isLessThanOrEqualTo(SyncService.MAX_PAGE_BYTES);
    }
    assertThat(pages.stream().flatMap(p -> p.getMessagesList().stream()).map(ChatMsg::getSeq))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
  }

  @Test
  void advanceCursors_answersEachItemInOrder_andAMalformedOneFailsAlone() throws Exception {
    long user = messages.newUser();
    long stranger = messages.newUser();
    List<ChatMsg> five = messages.conversation(user, messages.newUser(), 1, 5);
    List<ChatMsg> three = messages.conversation(messages.newUser(), user, 1, 3);
    stored(five);
    stored(three);
    String a = five.get(0).getConversationId();
    String b = three.get(0).getConversationId();

    AdvanceCursorsResponse answer =
        store
            .stub()
            .advanceCursors(
                AdvanceCursorsRequest.newBuilder()
                    .addAdvances(cursorMove(user, "phone", a, 4))
                    .addAdvances(cursorMove(user, "phone", "has space", 1)) // malformed
                    .addAdvances(cursorMove(user, "laptop", b, 1_000)) // clamped to the head
                    .addAdvances(cursorMove(stranger, "phone", a, 2)) // not a member
                    .addAdvances(cursorMove(user, "phone", a, 2)) // lower: the cursor stays
                    .build());

    assertThat(answer.getResultsList())
        .extracting(AdvanceCursorResponse::getMember, AdvanceCursorResponse::getDeliveredSeq)
        .containsExactly(
            tuple(true, 4L), tuple(false, 0L), tuple(true, 3L), tuple(false, 0L), tuple(true, 4L));
    assertThat(seqsByConversation(sync(user, "phone").getMessagesList()))
        .containsOnly(entry(a, List.of(5L)), entry(b, List.of(1L, 2L, 3L)));
    assertThat(seqsByConversation(sync(user, "laptop").getMessagesList()))
        .containsOnly(entry(a, List.of(1L, 2L, 3L, 4L, 5L)));
  }

  @Test
  void advanceCursors_refusesMoreThanAThousandItems() {
    long user = messages.newUser();
    AdvanceCursorsRequest.Builder tooMany = AdvanceCursorsRequest.newBuilder();
    for (int i = 0; i <= 1_000; i++) {
      tooMany.addAdvances(cursorMove(user, "d" + i, "s_1_2", 1));
    }

    assertThatThrownBy(() -> store.stub().advanceCursors(tooMany.build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  private static AdvanceCursorRequest cursorMove(
      long user, String device, String conversation, long seq) {
    return AdvanceCursorRequest.newBuilder()
        .setUserId(user)
        .setDeviceId(device)
        .setConversationId(conversation)
        .setDeliveredSeq(seq)
        .build();
  }

  @Test
  void advanceCursor_thenSync_returnsOnlyNewerMessages_andNeverMovesBack() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = messages.conversation(user, messages.newUser(), 1, 5);
    String conversation = sent.get(0).getConversationId();
    stored(sent);

    assertThat(advance(user, "phone", conversation, 3).getDeliveredSeq()).isEqualTo(3);
    assertThat(seqsOf(sync(user, "phone"))).containsExactly(4L, 5L);

    assertThat(advance(user, "phone", conversation, 5).getDeliveredSeq()).isEqualTo(5);
    SyncResponse caughtUp = sync(user, "phone");
    assertThat(caughtUp.getMessagesList()).isEmpty();
    assertThat(caughtUp.getHeadsList()).isEmpty();
    assertThat(caughtUp.getHasMore()).isFalse();

    assertThat(advance(user, "phone", conversation, 2).getDeliveredSeq()).isEqualTo(5);
    AdvanceCursorResponse stranger = advance(messages.newUser(), "phone", conversation, 2);
    assertThat(stranger.getMember()).isFalse();
  }

  @Test
  void twoDevicesOfOneUser_haveIndependentCursors() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = messages.conversation(messages.newUser(), user, 1, 4);
    String conversation = sent.get(0).getConversationId();
    stored(sent);

    advance(user, "phone", conversation, 3);

    assertThat(seqsOf(sync(user, "phone"))).containsExactly(4L);
    assertThat(seqsOf(sync(user, "laptop"))).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void advanceCursor_acceptsAPushedSeqNotStoredYet_butNotOneAboveTheHead() throws Exception {
    long user = messages.newUser();
    long peer = messages.newUser();
    List<ChatMsg> sent = messages.conversation(peer, user, 1, 4);
    String conversation = sent.get(0).getConversationId();
    stored(sent.subList(0, 3));
    // transfer accepted 4 and pushed it; the device holds 1..4 before offline-store stored 4.
    db.allocate(conversation, 4);

    assertThat(advance(user, "phone", conversation, 4).getDeliveredSeq()).isEqualTo(4);
    // A claim beyond anything allocated is a client bug: it must not silence the conversation.
    assertThat(advance(user, "phone", conversation, 1_000_000).getDeliveredSeq()).isEqualTo(4);

    stored(sent.subList(3, 4));
    assertThat(sync(user, "phone").getMessagesList()).isEmpty();
    stored(List.of(messages.chat(peer, user, 5)));
    db.allocate(conversation, 5);
    assertThat(seqsOf(sync(user, "phone"))).containsExactly(5L);
  }

  @Test
  void heads_showAllocatedAboveStored_andAWaitingSyncAnswersOnceTheRestIsStored() throws Exception {
    long user = messages.newUser();
    long peer = messages.newUser();
    List<ChatMsg> sent = messages.conversation(peer, user, 1, 5);
    String conversation = sent.get(0).getConversationId();
    stored(sent.subList(0, 3));
    // transfer accepted 4 and 5 (SENT), they are still on their way through Kafka.
    db.allocate(conversation, 5);

    SyncResponse now = sync(user, "phone");
    assertThat(seqsOf(now)).containsExactly(1L, 2L, 3L);
    assertThat(now.getHeadsList())
        .singleElement()
        .satisfies(
            head -> {
              assertThat(head.getAllocatedSeq()).isEqualTo(5);
              assertThat(head.getStoredSeq()).isEqualTo(3);
            });
    advance(user, "phone", conversation, 3);
    // Nothing stored to send, but the head still tells the device that 4 and 5 exist.
    SyncResponse lagging = sync(user, "phone");
    assertThat(lagging.getMessagesList()).isEmpty();
    assertThat(lagging.getHeadsList())
        .extracting(ConversationHead::getAllocatedSeq)
        .containsExactly(5L);

    long startedAt = System.nanoTime();
    CompletableFuture<SyncResponse> waiting =
        CompletableFuture.supplyAsync(
            () -> store.stub().sync(syncRequest(user, "phone").setWaitMs(4_000).build()));
    topic.chats(sent.subList(3, 5));
    SyncResponse caughtUp = waiting.get(10, TimeUnit.SECONDS);
    long tookMillis = (System.nanoTime() - startedAt) / 1_000_000;

    assertThat(seqsOf(caughtUp)).containsExactly(4L, 5L);
    assertThat(caughtUp.getHeadsList())
        .singleElement()
        .satisfies(head -> assertThat(head.getStoredSeq()).isEqualTo(5));
    assertThat(tookMillis).isLessThan(4_000); // answered when stored, not at the deadline
  }

  @Test
  void waitingSync_givesUpAtItsDeadline_andReportsTheLag() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = messages.conversation(messages.newUser(), user, 1, 2);
    stored(sent);
    db.allocate(sent.get(0).getConversationId(), 9); // 3..9 never arrive in this test

    long startedAt = System.nanoTime();
    SyncResponse answer = store.stub().sync(syncRequest(user, "phone").setWaitMs(300).build());
    long tookMillis = (System.nanoTime() - startedAt) / 1_000_000;

    assertThat(tookMillis).isGreaterThanOrEqualTo(300);
    assertThat(seqsOf(answer)).containsExactly(1L, 2L);
    assertThat(answer.getHeadsList())
        .singleElement()
        .satisfies(
            head -> {
              assertThat(head.getAllocatedSeq()).isEqualTo(9);
              assertThat(head.getStoredSeq()).isEqualTo(2);
            });
  }

  @Test
  void brandNewConversation_allocatedNotStored_isAHead_andAWaitingSyncReturnsItOnceStored()
      throws Exception {
    long user = messages.newUser();
    long peer = messages.newUser();
    ChatMsg first = messages.chat(peer, user, 1);
    String conversation = first.getConversationId();
    // transfer accepted the conversation's first message (SENT): it noted both members and
    // allocated seq 1. offline-store has nothing of the conversation yet.
    db.addMembers(conversation, peer, user);
    db.allocate(conversation, 1);

    SyncResponse now = sync(user, "phone");
    assertThat(now.getMessagesList()).isEmpty();
    assertThat(now.getHasMore()).isFalse();
    assertThat(now.getHeadsList())
        .singleElement()
        .satisfies(
            head -> {
              assertThat(head.getConversationId()).isEqualTo(conversation);
              assertThat(head.getAllocatedSeq()).isEqualTo(1);
              assertThat(head.getStoredSeq()).isZero();
              assertThat(head.getDeliveredSeq()).isZero();
            });

    CompletableFuture<SyncResponse> waiting =
        CompletableFuture.supplyAsync(
            () -> store.stub().sync(syncRequest(user, "phone").setWaitMs(4_000).build()));
    topic.chat(first);
    SyncResponse caughtUp = waiting.get(10, TimeUnit.SECONDS);

    assertThat(caughtUp.getMessagesList()).containsExactly(first);
    assertThat(caughtUp.getHeadsList())
        .singleElement()
        .satisfies(
            head -> {
              assertThat(head.getAllocatedSeq()).isEqualTo(1);
              assertThat(head.getStoredSeq()).isEqualTo(1);
            });
  }

  @Test
  void seqStoredBeforeTheOneBelowIt_syncStopsAtTheHole_andTheHeadShowsItInFlight()
      throws Exception {
    long user = messages.newUser();
    long peer = messages.newUser();
    List<ChatMsg> sent = messages.conversation(peer, user, 1, 8);
    String conversation = sent.get(0).getConversationId();
    List<ChatMsg> other = messages.conversation(user, messages.newUser(), 1, 2);
    db.addMembers(conversation, peer, user);
    db.allocate(conversation, 8);
    stored(sent.subList(0, 6));
    stored(other);
    // Two transfer instances allocated 7 and 8; 8 reached Kafka, hence the store, first.
    stored(sent.subList(7, 8));

    SyncResponse page = sync(user, "phone");
    assertThat(seqsByConversation(page.getMessagesList()))
        .containsEntry(conversation, range(1, 6))
        .containsEntry(other.get(0).getConversationId(), range(1, 2));
    assertThat(page.getHasMore()).isFalse();
    assertThat(heads(List.of(page)).get(conversation))
        .satisfies(
            head -> {
              assertThat(head.getAllocatedSeq()).isEqualTo(8);
              assertThat(head.getStoredSeq()).isEqualTo(6); // 7 in flight, 8 waits behind it
            });

    advance(user, "phone", conversation, 6);
    advance(user, "phone", other.get(0).getConversationId(), 2);
    SyncResponse behindTheHole = sync(user, "phone");
    assertThat(behindTheHole.getMessagesList()).isEmpty();
    assertThat(behindTheHole.getHeadsList())
        .singleElement()
        .satisfies(
            head -> {
              assertThat(head.getAllocatedSeq()).isEqualTo(8);
              assertThat(head.getStoredSeq()).isEqualTo(6);
              assertThat(head.getDeliveredSeq()).isEqualTo(6);
            });

    // A waiting Sync treats the hole as in flight: it answers once 7 is stored, with 7 and 8.
    CompletableFuture<SyncResponse> waiting =
        CompletableFuture.supplyAsync(
            () -> store.stub().sync(syncRequest(user, "phone").setWaitMs(4_000).build()));
    topic.chat(sent.get(6));
    SyncResponse filled = waiting.get(10, TimeUnit.SECONDS);
    assertThat(seqsOf(filled)).containsExactly(7L, 8L);
    assertThat(filled.getHeadsList())
        .singleElement()
        .satisfies(head -> assertThat(head.getStoredSeq()).isEqualTo(8));
  }

  @Test
  void deviceThatGotTheMissingSeqByPush_getsWhatIsStoredAfterIt() throws Exception {
    long user = messages.newUser();
    long peer = messages.newUser();
    List<ChatMsg> sent = messages.conversation(peer, user, 1, 6);
    String conversation = sent.get(0).getConversationId();
    db.addMembers(conversation, peer, user);
    db.allocate(conversation, 6);
    stored(sent.subList(0, 3));
    stored(sent.subList(4, 6)); // 4 still in flight, but pushed: the device holds 1..4
    assertThat(advance(user, "phone", conversation, 4).getDeliveredSeq()).isEqualTo(4);

    SyncResponse page = sync(user, "phone");

    assertThat(seqsOf(page)).containsExactly(5L, 6L);
    assertThat(page.getHeadsList())
        .singleElement()
        .satisfies(head -> assertThat(head.getStoredSeq()).isEqualTo(6));
    // Another device has no cursor yet: it stops below the hole.
    assertThat(seqsOf(sync(user, "laptop"))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void windowOfOneConversation_stillEndsThePass_withEveryMessage() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.addAll(messages.conversation(messages.newUser(), user, 1, 2));
    }
    stored(sent);
    // The config refuses a window of 1; the service must still end a pass with it.
    try (HikariDataSource pool =
        Databases.pool(db.url, db.user, db.password, 2, "it-window-of-one")) {
      SyncService oneAtATime = windowOfOne(pool);
      List<SyncPage> pages = new ArrayList<>();
      Optional<SyncCursor> cursor = Optional.empty();
      do {
        SyncPage page = oneAtATime.sync(user, "phone", cursor, 100, Duration.ZERO);
        pages.add(page);
        cursor = Optional.of(page.next());
        assertThat(pages).as("pages of one pass").hasSizeLessThan(20);
      } while (pages.get(pages.size() - 1).hasMore());

      assertThat(pages.stream().flatMap(p -> p.messages().stream()))
          .extracting(ChatMsg::getId)
          .containsExactlyInAnyOrderElementsOf(ids(sent));
    }
  }

  @Test
  void defaultPageSizes_ofSyncAndHistory_stayWithinTheConfiguredMaximum() throws Exception {
    long user = messages.newUser();
    List<ChatMsg> sent = messages.conversation(messages.newUser(), user, 1, 5);
    stored(sent);
    try (HikariDataSource pool =
        Databases.pool(db.url, db.user, db.password, 2, "it-small-max-page")) {
      SyncService smallPages = service(pool, 3, MAX_CONVERSATIONS_PER_PAGE);

      SyncPage page = smallPages.sync(user, "phone", Optional.empty(), 0, Duration.ZERO);

      assertThat(page.messages()).extracting(ChatMsg::getSeq).containsExactly(1L, 2L, 3L);
      assertThat(page.hasMore()).isTrue();
      HistoryPage history =
          new HistoryService(pool, 3).page(page.messages().get(0).getConversationId(), 0, 0);
      assertThat(history.messages()).extracting(ChatMsg::getSeq).containsExactly(3L, 4L, 5L);
    }
  }

  @Test
  void advanceCursor_beforeIngestWroteTheMembership_movesTheCursor() throws Exception {
    long user = messages.newUser();
    long peer = messages.newUser();
    List<ChatMsg> sent = messages.conversation(peer, user, 1, 3);
    String conversation = sent.get(0).getConversationId();
    db.addMembers(conversation, peer, user);
    db.allocate(conversation, 3);

    // The device got 1..3 by push and acknowledged them before offline-store stored any.
    AdvanceCursorResponse early = advance(user, "phone", conversation, 3);
    assertThat(early.getMember()).isTrue();
    assertThat(early.getDeliveredSeq()).isEqualTo(3);
    assertThat(advance(user, "phone", conversation, 50).getDeliveredSeq()).isEqualTo(3);
    stored(sent);
    assertThat(sync(user, "phone").getMessagesList()).isEmpty(); // not sent a second time

    // A single conversation of the user is recognised by its id alone.
    String single = messages.chat(messages.newUser(), user, 1).getConversationId();
    db.allocate(single, 2);
    assertThat(advance(user, "phone", single, 2))
        .satisfies(
            answer -> {
              assertThat(answer.getMember()).isTrue();
              assertThat(answer.getDeliveredSeq()).isEqualTo(2);
            });

    // Any other conversation through transfer's membership; strangers stay refused.
    String group = "g_it_" + user;
    db.addMembers(group, user);
    db.allocate(group, 2);
    assertThat(advance(user, "phone", group, 2).getDeliveredSeq()).isEqualTo(2);
    assertThat(advance(messages.newUser(), "phone", group, 2).getMember()).isFalse();
    assertThat(advance(messages.newUser(), "phone", single, 2).getMember()).isFalse();
  }

  // ---- Receipts and read marks -------------------------------------------------------------

  @Test
  void receiptsForAnOfflineSender_areSyncedUntilAcknowledged_perDevice() throws Exception {
    long sender = messages.newUser();
    long recipient = messages.newUser();
    List<ChatMsg> sent =
        List.of(messages.chat(sender, recipient, 1), messages.chat(sender, recipient, 2));
    stored(sent);
    List<AckMsg> receipts =
        List.of(
            messages.receipt(sent.get(0), MsgType.DELIVERED),
            messages.receipt(sent.get(1), MsgType.DELIVERED),
            messages.receipt(sent.get(1), MsgType.READ));
    storedReceipts(receipts);

    SyncResponse first = sync(sender, "phone");
    assertThat(first.getAcksList()).containsExactlyElementsOf(receipts);
    assertThat(sync(sender, "phone").getAcksList()).containsExactlyElementsOf(receipts);

    assertThat(ackReceipts(sender, "phone", receipts.get(2).getId())).isTrue();
    assertThat(sync(sender, "phone").getAcksList()).isEmpty();
    assertThat(sync(sender, "laptop").getAcksList()).containsExactlyElementsOf(receipts);
    // Only the user the receipt is addressed to can acknowledge it.
    assertThat(ackReceipts(recipient, "phone", receipts.get(0).getId())).isFalse();
    // The READ receipt moved the recipient's read mark.
    assertThat(markRead(recipient, sent.get(0).getConversationId(), 1).getLastReadSeq())
        .isEqualTo(2);
  }

  @Test
  void receiptStoredAfterALaterOne_isStillSynced() throws Exception {
    long sender = messages.newUser();
    long recipient = messages.newUser();
    ChatMsg msg = messages.chat(sender, recipient, 1);
    stored(List.of(msg));
    // Receipt ids come from transfer instances' clocks and reach us through different
    // partitions: a lower id can be stored after a device already took a higher one.
    AckMsg higher = messages.receipt(msg, MsgType.READ, 9_000_000_000L + messages.newId());
    AckMsg lower = messages.receipt(msg, MsgType.DELIVERED, 8_000_000_000L + messages.newId());
    storedReceipts(List.of(higher));
    assertThat(sync(sender, "phone").getAcksList()).containsExactly(higher);
    ackReceipts(sender, "phone", higher.getId());

    storedReceipts(List.of(lower));

    assertThat(sync(sender, "phone").getAcksList()).containsExactly(lower);
  }

  @Test
  void markRead_onlyMovesForward_andNeedsMembership() throws Exception {
    long user = messages.newUser();
    long peer = messages.newUser();
    List<ChatMsg> sent = new ArrayList<>();
    for (long seq = 1; seq <= 6; seq++) {
      sent.add(messages.chat(peer, user, seq)); // all from the peer: nothing read yet
    }
    String conversation = sent.get(0).getConversationId();
    stored(sent);

    assertThat(markRead(user, conversation, 5).getLastReadSeq()).isEqualTo(5);
    assertThat(markRead(user, conversation, 3).getLastReadSeq()).isEqualTo(5);
    assertThat(markRead(user, conversation, 6).getLastReadSeq()).isEqualTo(6);
    assertThat(markRead(messages.newUser(), conversation, 6).getMember()).isFalse();
  }

  // ---- History and membership ----------------------------------------------------------------

  @Test
  void history_pagesBackwardsBySeq_oldestFirstInEachPage() throws Exception {
    long a = messages.newUser();
    long b = messages.newUser();
    List<ChatMsg> sent = messages.conversation(a, b, 1, 25);
    String conversation = sent.get(0).getConversationId();
    stored(sent);

    HistoryResponse latest = history(conversation, 0, 10);
    assertThat(latest.getMessagesList()).extracting(ChatMsg::getSeq).isEqualTo(range(16, 25));
    assertThat(latest.getHasMore()).isTrue();
    assertThat(latest.getNextBeforeSeq()).isEqualTo(16);

    HistoryResponse middle = history(conversation, latest.getNextBeforeSeq(), 10);
    assertThat(middle.getMessagesList()).extracting(ChatMsg::getSeq).isEqualTo(range(6, 15));
    assertThat(middle.getHasMore()).isTrue();

    HistoryResponse oldest = history(conversation, middle.getNextBeforeSeq(), 10);
    assertThat(oldest.getMessagesList()).extracting(ChatMsg::getSeq).isEqualTo(range(1, 5));
    assertThat(oldest.getHasMore()).isFalse();

    assertThat(history(conversation, 0, 0).getMessagesList()).hasSize(25); // default limit 50
    assertThat(history(conversation, 0, 25).getHasMore()).isFalse();
    assertThat(history("s_999998_999999", 0, 10).getMessagesList()).isEmpty();
    assertThat(history(conversation, 0, 1).getMessagesList().get(0))
        .isEqualTo(sent.get(24)); // exactly what was on the log
  }

  @Test
  void isMember_isTrueForBothMembersOnly() throws Exception {
    long a = messages.newUser();
    long b = messages.newUser();
    ChatMsg msg = messages.chat(a, b, 1);
    stored(List.of(msg));

    assertThat(isMember(a, msg.getConversationId())).isTrue();
    assertThat(isMember(b, msg.getConversationId())).isTrue();
    assertThat(isMember(messages.newUser(), msg.getConversationId())).isFalse();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void stored(List<ChatMsg> sent) throws Exception {
    topic.chats(sent);
    String ids = ids(sent).stream().map(String::valueOf).collect(Collectors.joining(","));
    await()
        .atMost(STORED_WITHIN)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                db.count("SELECT COUNT(*) FROM message WHERE msg_id IN (" + ids + ")")
                    == sent.size());
  }

  private void storedReceipts(List<AckMsg> receipts) throws Exception {
    for (AckMsg receipt : receipts) {
      topic.receipt(receipt);
    }
    String ids =
        receipts.stream().map(r -> String.valueOf(r.getId())).collect(Collectors.joining(","));
    await()
        .atMost(STORED_WITHIN)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                db.count("SELECT COUNT(*) FROM receipt WHERE id IN (" + ids + ")")
                    == receipts.size());
  }

  private static SyncRequest.Builder syncRequest(long user, String device) {
    return SyncRequest.newBuilder().setUserId(user).setDeviceId(device);
  }

  private SyncResponse sync(long user, String device) {
    return store.stub().sync(syncRequest(user, device).build());
  }

  private List<SyncResponse> syncAll(long user, String device, int limit) {
    List<SyncResponse> pages = new ArrayList<>();
    String cursor = "";
    do {
      SyncResponse page =
          store.stub().sync(syncRequest(user, device).setCursor(cursor).setLimit(limit).build());
      pages.add(page);
      cursor = page.getNextCursor();
      assertThat(pages).as("pages of one pass").hasSizeLessThan(100);
    } while (pages.get(pages.size() - 1).getHasMore());
    return pages;
  }

  private AdvanceCursorResponse advance(long user, String device, String conversation, long seq) {
    return store
        .stub()
        .advanceCursor(
            AdvanceCursorRequest.newBuilder()
                .setUserId(user)
                .setDeviceId(device)
                .setConversationId(conversation)
                .setDeliveredSeq(seq)
                .build());
  }

  private boolean ackReceipts(long user, String device, long lastReceiptId) {
    return store
        .stub()
        .ackReceipts(
            AckReceiptsRequest.newBuilder()
                .setUserId(user)
                .setDeviceId(device)
                .setLastReceiptId(lastReceiptId)
                .build())
        .getFound();
  }

  private MarkReadResponse markRead(long user, String conversation, long seq) {
    return store
        .stub()
        .markRead(
            MarkReadRequest.newBuilder()
                .setUserId(user)
                .setConversationId(conversation)
                .setSeq(seq)
                .build());
  }

  private HistoryResponse history(String conversation, long beforeSeq, int limit) {
    return store
        .stub()
        .history(
            HistoryRequest.newBuilder()
                .setConversationId(conversation)
                .setBeforeSeq(beforeSeq)
                .setLimit(limit)
                .build());
  }

  private boolean isMember(long user, String conversation) {
    return store
        .stub()
        .isMember(
            IsMemberRequest.newBuilder().setUserId(user).setConversationId(conversation).build())
        .getMember();
  }

  private static SyncService windowOfOne(HikariDataSource pool) {
    return service(pool, 500, 1);
  }

  private static SyncService service(HikariDataSource pool, int maxPage, int maxConversations) {
    return new SyncService(
        pool,
        new AllocatedSeqs(Clock.systemUTC()),
        new ConversationMembers(Clock.systemUTC()),
        new StoreProgress(),
        new OfflineMetrics(new SimpleMeterRegistry()),
        Clock.systemUTC(),
        maxPage,
        maxConversations,
        Duration.ZERO);
  }

  private static List<Long> ids(List<ChatMsg> sent) {
    return sent.stream().map(ChatMsg::getId).toList();
  }

  private static List<Long> seqsOf(SyncResponse page) {
    return page.getMessagesList().stream().map(ChatMsg::getSeq).toList();
  }

  private static Map<String, List<Long>> seqsByConversation(List<ChatMsg> got) {
    Map<String, List<Long>> seqs = new LinkedHashMap<>();
    for (ChatMsg msg : got) {
      seqs.computeIfAbsent(msg.getConversationId(), c -> new ArrayList<>()).add(msg.getSeq());
    }
    return seqs;
  }

  private static Map<String, ConversationHead> heads(List<SyncResponse> pages) {
    Map<String, ConversationHead> heads = new LinkedHashMap<>();
    pages.forEach(p -> p.getHeadsList().forEach(h -> heads.put(h.getConversationId(), h)));
    return heads;
  }

  private static long countIn(List<ChatMsg> sent, String conversation) {
    return sent.stream().filter(m -> m.getConversationId().equals(conversation)).count();
  }

  private static List<Long> range(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }
}
