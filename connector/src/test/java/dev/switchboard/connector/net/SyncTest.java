package dev.switchboard.connector.net;

import static dev.switchboard.connector.testing.ClientHarness.login;
import static dev.switchboard.connector.testing.ClientHarness.read;
import static dev.switchboard.connector.testing.ClientHarness.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.connector.session.LocalDelivery;
import dev.switchboard.connector.testing.ClientHarness;
import dev.switchboard.connector.testing.ScriptedSyncStore.SyncCall;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ConversationHead;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.Ping;
import dev.switchboard.proto.SyncReq;
import dev.switchboard.proto.SyncResp;
import dev.switchboard.proto.internal.Delivery;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SyncResponse;
import io.grpc.Status;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sync with offline-store: the first page at login, SyncReq pages, receipt and cursor moves. */
class SyncTest {
  private static final long ALICE = 7;
  private static final long BOB = 8;
  private static final String CONVERSATION = "s_7_8";

  private final ClientHarness harness = new ClientHarness();

  @AfterEach
  void tearDown() {
    harness.close();
  }

  @Test
  void firstSyncPage_followsTheLoginResp_andIsAskedOnlyOnceTheRouteIsRegistered() {
    harness.syncStore.page("", page("p2", true, chat(1), chat(2)));
    AtomicBoolean routeVisibleAtSync = new AtomicBoolean();
    harness.syncStore.onSync(
        () -> routeVisibleAtSync.set(harness.presence.route(ALICE, "phone").isPresent()));
    CompletableFuture<Void> online = harness.presence.holdOnlineCalls();
    EmbeddedChannel channel = harness.connect();

    send(channel, login(1, harness.token(ALICE, "phone"), "phone"));

    List<Frame> beforeOnline = read(channel);
    assertThat(beforeOnline).hasSize(1);
    assertThat(beforeOnline.get(0).getLoginResp().getOk()).isTrue();
    assertThat(harness.syncStore.calls()).as("no sync before Online completed").isEmpty();

    online.complete(null);

    List<Frame> out = read(channel);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getRequestId()).as("unsolicited").isZero();
    SyncResp resp = out.get(0).getSyncResp();
    assertThat(resp.getMessagesList()).extracting(ChatMsg::getSeq).containsExactly(1L, 2L);
    assertThat(resp.getNextCursor()).isEqualTo("p2");
    assertThat(resp.getHasMore()).isTrue();
    assertThat(routeVisibleAtSync).as("route registered when the sync read started").isTrue();
    SyncCall call = harness.syncStore.syncCalls().get(0);
    assertThat(call.userId()).isEqualTo(ALICE);
    assertThat(call.deviceId()).isEqualTo("phone");
    assertThat(call.cursor()).isEmpty();
    assertThat(call.limit()).isZero();
    assertThat(call.maxWait()).isEqualTo(ClientHarness.SYNC_WAIT);
  }

  @Test
  void firstSyncPage_carriesAcksAndHeads_withTheAllocatedSeqAsMaxSeq() {
    AckMsg receipt =
        AckMsg.newBuilder()
            .setId(501)
            .setMsgType(MsgType.DELIVERED)
            .setFromId(BOB)
            .setDestId(ALICE)
            .build();
    harness.syncStore.page(
        "",
        SyncResponse.newBuilder()
            .addMessages(chat(3))
            .addAcks(receipt)
            .addHeads(head(CONVERSATION, 5, 3, 2))
            .addHeads(head("s_7_9", 0, 4, 1)) // allocator unreadable: the stored seq is the head
            .build());

    List<Frame> out = loginAndRead(ALICE, "phone");

    SyncResp resp = out.get(1).getSyncResp();
    assertThat(resp.getAcksList()).containsExactly(receipt);
    assertThat(resp.getHasMore()).isFalse();
    assertThat(resp.getHeadsList())
        .containsExactly(
            ConversationHead.newBuilder()
                .setConversationId(CONVERSATION)
                .setMaxSeq(5)
                .setDeliveredSeq(2)
                .build(),
            ConversationHead.newBuilder()
                .setConversationId("s_7_9")
                .setMaxSeq(4)
                .setDeliveredSeq(1)
                .build());
  }

  @Test
  void livePushes_flowWhileTheFirstPageIsBeingRead() {
    CompletableFuture<Void> store = harness.syncStore.holdSyncCalls();
    harness.syncStore.page("", page("", false, chat(1)));
    assertThat(loginAndRead(ALICE, "phone")).hasSize(1);

    Frame push = Frame.newBuilder().setChatMsg(chat(2)).build();
    new LocalDelivery(harness.sessions)
        .deliver(List.of(Delivery.newBuilder().setUserId(ALICE).setFrame(push).build()));
    EmbeddedChannel channel = channelOf(ALICE, "phone");
    assertThat(read(channel)).containsExactly(push);

    store.complete(null);
    List<Frame> out = read(channel);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getSyncResp().getMessages(0).getSeq()).isEqualTo(1);
  }

  @Test
  void syncReqPipelinedBehindTheLoginReq_waitsForTheRoute_andFollowsTheFirstPage() {
    harness.syncStore.page("", page("p2", true, chat(1))).page("p2", page("", false, chat(2)));
    CompletableFuture<Void> online = harness.presence.holdOnlineCalls();
    EmbeddedChannel channel = harness.connect();

    send(channel, login(1, harness.token(ALICE, "phone"), "phone"), syncReq(5, "p2", 0));
    assertThat(read(channel))
        .extracting(Frame::getBodyCase)
        .containsExactly(Frame.BodyCase.LOGIN_RESP);
    assertThat(harness.syncStore.calls()).isEmpty();

    online.complete(null);
    channel.runPendingTasks();

    assertThat(harness.syncStore.syncCalls())
        .extracting(SyncCall::cursor)
        .containsExactly("", "p2");
    List<Frame> out = read(channel);
    assertThat(out).extracting(Frame::getRequestId).containsExactly(0L, 5L);
    assertThat(out.get(1).getSyncResp().getMessages(0).getSeq()).isEqualTo(2);
  }

  @Test
  void syncReq_asksForTheNextPageWithItsCursorAndLimit_andEchoesTheRequestId() {
    harness
        .syncStore
        .page("", page("p2", true, chat(1)))
        .page("p2", page("p3", true, chat(2)))
        .page("p3", page("", false, chat(3)));
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");

    send(channel, syncReq(21, "p2", 50));
    List<Frame> second = read(channel);
    send(channel, syncReq(22, "p3", 0));
    List<Frame> third = read(channel);

    assertThat(second).hasSize(1);
    assertThat(second.get(0).getRequestId()).isEqualTo(21);
    assertThat(second.get(0).getSyncResp().getMessages(0).getSeq()).isEqualTo(2);
    assertThat(second.get(0).getSyncResp().getNextCursor()).isEqualTo("p3");
    assertThat(second.get(0).getSyncResp().getHasMore()).isTrue();
    assertThat(third.get(0).getRequestId()).isEqualTo(22);
    assertThat(third.get(0).getSyncResp().getHasMore()).isFalse();
    assertThat(harness.syncStore.syncCalls())
        .extracting(SyncCall::cursor, SyncCall::limit)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("", 0),
            org.assertj.core.groups.Tuple.tuple("p2", 50),
            org.assertj.core.groups.Tuple.tuple("p3", 0));
  }

  @Test
  void syncReqWithReceiptsThroughId_acknowledgesTheReceiptsBeforeTheSync() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");

    send(
        channel,
        Frame.newBuilder()
            .setRequestId(9)
            .setSyncReq(SyncReq.newBuilder().setReceiptsThroughId(501))
            .build());

    assertThat(harness.syncStore.calls())
        .containsExactly(
            "sync 7/phone cursor= limit=0",
            "ackReceipts 7/phone through=501",
            "sync 7/phone cursor= limit=0");
    List<Frame> out = read(channel);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getRequestId()).isEqualTo(9);
    assertThat(out.get(0).hasSyncResp()).isTrue();
  }

  @Test
  void ackOnlySyncReq_acknowledgesTheReceipts_andAnswersNothing() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");

    send(
        channel,
        Frame.newBuilder()
            .setRequestId(9)
            .setSyncReq(SyncReq.newBuilder().setReceiptsThroughId(501).setAckOnly(true))
            .build());

    assertThat(read(channel)).isEmpty();
    assertThat(harness.syncStore.calls())
        .containsExactly("sync 7/phone cursor= limit=0", "ackReceipts 7/phone through=501");
    assertThat(counter("connector.receipt.acks", "ok")).isEqualTo(1);
  }

  @Test
  void ackOnlySyncReq_whileTheStoreIsDown_stillAnswersNothing() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");
    harness.syncStore.setUnreachable(true);

    send(
        channel,
        Frame.newBuilder()
            .setRequestId(9)
            .setSyncReq(SyncReq.newBuilder().setReceiptsThroughId(501).setAckOnly(true))
            .build());

    assertThat(read(channel)).isEmpty();
    assertThat(counter("connector.receipt.acks", "failed")).isEqualTo(1);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void ackOnlySyncReqWithoutReceipts_doesNothing() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");

    send(
        channel,
        Frame.newBuilder()
            .setRequestId(9)
            .setSyncReq(SyncReq.newBuilder().setAckOnly(true))
            .build());

    assertThat(read(channel)).isEmpty();
    assertThat(harness.syncStore.calls()).containsExactly("sync 7/phone cursor= limit=0");
  }

  @Test
  void deliveredWithAWatermark_advancesTheDeviceCursor_andIsStillForwardedToTransfer() {
    EmbeddedChannel bob = harness.loggedIn(BOB, "tablet");

    send(bob, receipt(6, MsgType.DELIVERED, 4, 3));

    assertThat(harness.forwarder.acks).hasSize(1);
    assertThat(harness.forwarder.acks.get(0).ack().getDeliveredThroughSeq()).isEqualTo(3);
    await().until(() -> counter("connector.cursor.advances", "ok") == 1);
    assertThat(advances()).containsExactly("advance 8/tablet s_7_8 to=3");
    harness.forwarder.acks.get(0).answer().complete(SendAckResponse.getDefaultInstance());
    assertThat(read(bob)).isEmpty();
  }

  @Test
  void watermarksArrivingWhileAWriteIsInFlight_areCoalescedIntoTheNextWrite() {
    EmbeddedChannel bob = harness.loggedIn(BOB, "tablet");
    CompletableFuture<Void> store = harness.syncStore.holdAdvances();

    send(bob, receipt(6, MsgType.DELIVERED, 1, 1));
    await().until(() -> harness.syncStore.advanceCalls() == 1);
    send(bob, receipt(7, MsgType.DELIVERED, 2, 2));
    send(bob, receipt(8, MsgType.DELIVERED, 4, 4));
    send(bob, receipt(9, MsgType.DELIVERED, 3, 3)); // an older watermark, late
    assertThat(advances()).containsExactly("advance 8/tablet s_7_8 to=1");

    store.complete(null);
    await().until(() -> harness.syncStore.advanceCalls() == 2);
    assertThat(advances())
        .containsExactly("advance 8/tablet s_7_8 to=1", "advance 8/tablet s_7_8 to=4");
    assertThat(harness.forwarder.acks).hasSize(4); // every receipt still reaches transfer

    send(bob, receipt(10, MsgType.DELIVERED, 5, 5));
    await().until(() -> harness.syncStore.advanceCalls() == 3);
    assertThat(advances()).last().isEqualTo("advance 8/tablet s_7_8 to=5");
  }

  @Test
  void watermarksOfSeveralSessions_travelInOneCall() {
    EmbeddedChannel bob = harness.loggedIn(BOB, "tablet");
    EmbeddedChannel alice = harness.loggedIn(ALICE, "phone");
    CompletableFuture<Void> store = harness.syncStore.holdAdvances();
    send(bob, receipt(6, MsgType.DELIVERED, 1, 1));
    await().until(() -> harness.syncStore.advanceCalls() == 1);

    // While the first call is held, both sessions move on.
    send(bob, receipt(7, MsgType.DELIVERED, 2, 2));
    send(alice, receiptTo(BOB, 8, MsgType.DELIVERED, 5, 5));
    store.complete(null);

    await().until(() -> harness.syncStore.advanceCalls() == 2);
    assertThat(advances())
        .hasSize(3)
        .contains("advance 8/tablet s_7_8 to=2", "advance 7/phone s_7_8 to=5");
  }

  @Test
  void advancesThatFindOfflineStoreUnreachable_areWrittenOnceItIsBack() {
    EmbeddedChannel bob = harness.loggedIn(BOB, "tablet");
    harness.syncStore.setUnreachable(true);

    send(bob, receipt(6, MsgType.DELIVERED, 4, 4));
    harness.forwarder.acks.get(0).answer().complete(SendAckResponse.getDefaultInstance());
    await().until(() -> counter("connector.cursor.advances", "failed") >= 1);
    assertThat(read(bob)).as("the client hears nothing").isEmpty();
    assertThat(bob.isOpen()).isTrue();

    harness.syncStore.setUnreachable(false);
    await().until(() -> counter("connector.cursor.advances", "ok") == 1);
    assertThat(advances()).last().isEqualTo("advance 8/tablet s_7_8 to=4");
  }

  private List<String> advances() {
    return harness.syncStore.calls().stream().filter(c -> c.startsWith("advance")).toList();
  }

  @Test
  void deliveredWithoutAWatermark_andRead_neverMoveTheDeliveryCursor() {
    EmbeddedChannel bob = harness.loggedIn(BOB, "tablet");

    send(bob, receipt(6, MsgType.DELIVERED, 4, 0), receipt(7, MsgType.READ, 4, 4));

    assertThat(harness.forwarder.acks).hasSize(2);
    assertThat(harness.syncStore.calls()).noneMatch(call -> call.startsWith("advance"));
  }

  @Test
  void storeUnreachableAtLogin_sendsUnavailable_andTheSessionStaysUsable() {
    harness.syncStore.setUnreachable(true);

    List<Frame> out = loginAndRead(ALICE, "phone");

    assertThat(out).hasSize(2);
    assertThat(out.get(0).getLoginResp().getOk()).isTrue();
    Error error = out.get(1).getError();
    assertThat(error.getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(error.getMessage()).isEqualTo("sync unavailable, retry SyncReq");
    assertThat(out.get(1).getRequestId()).isZero();
    EmbeddedChannel channel = channelOf(ALICE, "phone");
    assertThat(channel.isOpen()).isTrue();
    assertThat(harness.sessions.find(ALICE, "phone")).isPresent();
    assertThat(harness.presence.route(ALICE, "phone")).isPresent();
    assertThat(counter("connector.syncs", "unavailable", "login")).isEqualTo(1);

    // live traffic still works, and a SyncReq once the store is back gets the page
    send(channel, Frame.newBuilder().setRequestId(3).setPing(Ping.newBuilder()).build());
    assertThat(read(channel).get(0).hasPong()).isTrue();
    harness.syncStore.setUnreachable(false);
    send(channel, syncReq(4, "", 0));
    assertThat(read(channel).get(0).hasSyncResp()).isTrue();
  }

  @Test
  void storeUnreachableOnSyncReq_answersUnavailableEchoingTheRequestId() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");
    harness.syncStore.setUnreachable(true);

    send(channel, syncReq(12, "", 0));

    List<Frame> out = read(channel);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getRequestId()).isEqualTo(12);
    assertThat(out.get(0).getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(out.get(0).getError().getRequestId()).isEqualTo(12);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void storeUnreachableWhenAcknowledgingReceipts_answersUnavailableWithoutAnEmptyPage() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");
    harness.syncStore.setUnreachable(true);

    send(
        channel,
        Frame.newBuilder()
            .setRequestId(13)
            .setSyncReq(SyncReq.newBuilder().setReceiptsThroughId(501))
            .build());

    List<Frame> out = read(channel);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(out.get(0).getRequestId()).isEqualTo(13);
  }

  @Test
  void unexpectedStoreFailure_isInternal_andTheSessionStays() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");
    harness.syncStore.failWith(Status.INTERNAL.withDescription("database error"));

    send(channel, syncReq(14, "", 0));

    Frame out = read(channel).get(0);
    assertThat(out.getError().getCode()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(out.getRequestId()).isEqualTo(14);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void cursorTheStoreRefuses_isInvalidMessage() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");

    send(channel, syncReq(15, "edited-cursor", 0));

    Frame out = read(channel).get(0);
    assertThat(out.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(out.getError().getMessage()).contains("empty cursor");
    assertThat(out.getRequestId()).isEqualTo(15);
  }

  @Test
  void negativeLimit_isRefusedWithoutAskingTheStore() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");

    send(channel, syncReq(16, "", -1));

    Frame out = read(channel).get(0);
    assertThat(out.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(out.getRequestId()).isEqualTo(16);
    assertThat(harness.syncStore.syncCalls()).hasSize(1); // the login's
  }

  @Test
  void syncReqsBeyondTheInFlightBound_areRateLimited() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");
    CompletableFuture<Void> store = harness.syncStore.holdSyncCalls();

    List<Frame> requests = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      requests.add(syncReq(100 + i, "", 0));
    }
    send(channel, requests.toArray(Frame[]::new));

    List<Frame> refused = read(channel);
    assertThat(refused).hasSize(1);
    assertThat(refused.get(0).getError().getCode()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.get(0).getRequestId()).isEqualTo(105);

    store.complete(null);
    assertThat(read(channel))
        .extracting(Frame::getRequestId)
        .containsExactlyInAnyOrder(101L, 102L, 103L, 104L);
    send(channel, syncReq(106, "", 0));
    assertThat(read(channel).get(0).hasSyncResp()).as("room again").isTrue();
  }

  @Test
  void pageArrivingAfterTheConnectionClosed_isDropped() {
    EmbeddedChannel channel = harness.loggedIn(ALICE, "phone");
    CompletableFuture<Void> store = harness.syncStore.holdSyncCalls();
    send(channel, syncReq(17, "", 0));

    channel.close();
    store.complete(null);
    channel.runPendingTasks();

    assertThat(read(channel)).isEmpty();
  }

  private List<Frame> loginAndRead(long userId, String deviceId) {
    EmbeddedChannel channel = harness.connect();
    send(channel, login(1, harness.token(userId, deviceId), deviceId));
    return read(channel);
  }

  private EmbeddedChannel channelOf(long userId, String deviceId) {
    return (EmbeddedChannel) harness.sessions.find(userId, deviceId).orElseThrow().channel();
  }

  private double counter(String name, String outcome) {
    return harness.meters.get(name).tag("outcome", outcome).counter().count();
  }

  private double counter(String name, String outcome, String trigger) {
    return harness
        .meters
        .get(name)
        .tag("outcome", outcome)
        .tag("trigger", trigger)
        .counter()
        .count();
  }

  private static Frame syncReq(long requestId, String cursor, int limit) {
    return Frame.newBuilder()
        .setRequestId(requestId)
        .setSyncReq(SyncReq.newBuilder().setCursor(cursor).setLimit(limit))
        .build();
  }

  private static Frame receipt(long requestId, MsgType type, long seq, long deliveredThrough) {
    return receiptTo(ALICE, requestId, type, seq, deliveredThrough);
  }

  private static Frame receiptTo(
      long destId, long requestId, MsgType type, long seq, long deliveredThrough) {
    return Frame.newBuilder()
        .setRequestId(requestId)
        .setAckMsg(
            AckMsg.newBuilder()
                .setMsgType(type)
                .setDestId(destId)
                .setAckMsgId(1000 + seq)
                .setConversationId(CONVERSATION)
                .setSeq(seq)
                .setDeliveredThroughSeq(deliveredThrough))
        .build();
  }

  private static ChatMsg chat(long seq) {
    return ChatMsg.newBuilder()
        .setId(1000 + seq)
        .setClientMsgId("c" + seq)
        .setFromId(BOB)
        .setDestId(ALICE)
        .setConversationId(CONVERSATION)
        .setSeq(seq)
        .setMsgBody("message " + seq)
        .build();
  }

  private static SyncResponse page(String next, boolean hasMore, ChatMsg... messages) {
    return SyncResponse.newBuilder()
        .addAllMessages(List.of(messages))
        .setNextCursor(next)
        .setHasMore(hasMore)
        .build();
  }

  private static dev.switchboard.proto.internal.ConversationHead head(
      String conversationId, long allocated, long stored, long delivered) {
    return dev.switchboard.proto.internal.ConversationHead.newBuilder()
        .setConversationId(conversationId)
        .setAllocatedSeq(allocated)
        .setStoredSeq(stored)
        .setDeliveredSeq(delivered)
        .build();
  }
}
