package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.AckedMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ConversationHead;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.SyncReq;
import dev.switchboard.proto.SyncResp;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sync and the delivery watermark against {@link ScriptedConnector} over real TCP. */
class SwitchboardClientSyncTest {

  private static final long BOB = 1002;
  private static final String CONV = "s_1001_1002";
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static EventLoopGroup group;

  private ScriptedConnector connector;
  private final RecordingListener listener = new RecordingListener();
  private SwitchboardClient client;

  @BeforeAll
  static void startGroup() {
    group = SwitchboardClient.newEventLoopGroup(2);
  }

  @AfterAll
  static void stopGroup() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @BeforeEach
  void start() throws InterruptedException {
    connector = new ScriptedConnector(group);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    connector.close();
  }

  /** Logs in; the connector answers the LoginReq with a LoginResp and then {@code firstPage}. */
  private void connect(ClientConfig.Builder config, SyncResp firstPage) throws Exception {
    connector.answerLoginWith(
        req ->
            firstPage == null
                ? new Frame[] {loginResp(req)}
                : new Frame[] {loginResp(req), Frame.newBuilder().setSyncResp(firstPage).build()});
    client =
        new SwitchboardClient(
            config
                .eventLoopGroup(group)
                .deviceId("laptop")
                .listener(listener)
                .reorderHoldBack(Duration.ofSeconds(3))
                .build());
    client.connect(connector.session()).get(5, TimeUnit.SECONDS);
    assertThat(connector.next().hasLoginReq()).isTrue();
  }

  private void connect(SyncResp firstPage) throws Exception {
    connect(ClientConfig.builder(), firstPage);
  }

  private static Frame loginResp(Frame req) {
    return Frame.newBuilder()
        .setRequestId(req.getRequestId())
        .setLoginResp(
            LoginResp.newBuilder()
                .setOk(true)
                .setUserId(ScriptedConnector.USER_ID)
                .setConnectorId("conn-test")
                .setHeartbeatIntervalSeconds(30))
        .build();
  }

  private static ChatMsg msg(long seq) {
    return ChatMsg.newBuilder()
        .setId(100 + seq)
        .setClientMsgId("c-" + seq)
        .setFromId(BOB)
        .setDestId(ScriptedConnector.USER_ID)
        .setConversationId(CONV)
        .setSeq(seq)
        .setMsgBody("hi " + seq)
        .build();
  }

  private static Frame push(long seq) {
    return Frame.newBuilder().setChatMsg(msg(seq)).build();
  }

  private static ConversationHead head(long maxSeq, long deliveredSeq) {
    return ConversationHead.newBuilder()
        .setConversationId(CONV)
        .setMaxSeq(maxSeq)
        .setDeliveredSeq(deliveredSeq)
        .build();
  }

  private static SyncResp.Builder page(long... seqs) {
    SyncResp.Builder page = SyncResp.newBuilder();
    for (long seq : seqs) {
      page.addMessages(msg(seq));
    }
    return page;
  }

  private static AckMsg receipt(long id, MsgType type) {
    return AckMsg.newBuilder()
        .setId(id)
        .setMsgType(type)
        .setFromId(BOB)
        .setDestId(ScriptedConnector.USER_ID)
        .setAckMsgId(555)
        .setConversationId(CONV)
        .setSeq(1)
        .build();
  }

  private Frame nextSyncReq() throws InterruptedException {
    return connector.next(Frame::hasSyncReq);
  }

  private AckMsg nextDelivered(long seq) throws InterruptedException {
    return connector.next(f -> f.hasAckMsg() && f.getAckMsg().getSeq() == seq).getAckMsg();
  }

  private void answer(Frame request, SyncResp page) {
    connector.send(
        Frame.newBuilder().setRequestId(request.getRequestId()).setSyncResp(page).build());
  }

  private static List<SyncReq> syncReqs(List<Frame> frames) {
    return frames.stream().filter(Frame::hasSyncReq).map(Frame::getSyncReq).toList();
  }

  @Test
  void firstPageSentByTheConnector_isShownInOrder_pagedWithSyncReq_andDedupedAgainstPushes()
      throws Exception {
    connect(page(1, 2).addHeads(head(4, 0)).setHasMore(true).setNextCursor("c1").build());

    Frame pageRequest = nextSyncReq();
    assertThat(pageRequest.getSyncReq().getCursor()).isEqualTo("c1");
    assertThat(pageRequest.getSyncReq().getAckOnly()).isFalse();
    connector.send(push(3)); // pushed while the next page is on its way
    await().atMost(WAIT).until(() -> listener.messages.size() == 3);
    answer(pageRequest, page(3, 4).addHeads(head(4, 0)).build()); // 3 again

    await().atMost(WAIT).until(() -> listener.messages.size() == 4);
    assertThat(connector.drain(400)).noneMatch(Frame::hasSyncReq); // head 4 is held: done
    assertThat(listener.messages)
        .extracting(ChatMsg::getId)
        .containsExactly(101L, 102L, 103L, 104L);
  }

  @Test
  void pushOvertakingTheLoginPage_waitsForIt_soTheMissedMessagesAreShownFirst() throws Exception {
    // Seq 5 was accepted just after the connector read the device's sync page from the store.
    connector.answerLoginWith(
        req ->
            new Frame[] {
              loginResp(req),
              push(5),
              Frame.newBuilder().setSyncResp(page(3, 4).addHeads(head(4, 2))).build()
            });
    client =
        new SwitchboardClient(
            ClientConfig.builder()
                .eventLoopGroup(group)
                .deviceId("laptop")
                .listener(listener)
                .build());
    client.connect(connector.session()).get(5, TimeUnit.SECONDS);

    await().atMost(WAIT).until(() -> listener.messages.size() == 3);
    assertThat(listener.messages).extracting(ChatMsg::getSeq).containsExactly(3L, 4L, 5L);
  }

  @Test
  void everyDelivered_carriesTheGapFreeWatermark_andADuplicateIsAcknowledgedAgain()
      throws Exception {
    connect(page().build()); // nothing missed
    connector.send(push(1));
    assertThat(nextDelivered(1).getDeliveredThroughSeq()).isEqualTo(1);

    connector.send(push(3)); // 2 is missing
    AckMsg third = nextDelivered(3);
    assertThat(third.getMsgType()).isEqualTo(MsgType.DELIVERED);
    assertThat(third.getAckMsgId()).isEqualTo(103);
    assertThat(third.getDeliveredThroughSeq()).isEqualTo(1); // never 3: 2 is not held

    connector.send(push(2));
    assertThat(nextDelivered(2).getDeliveredThroughSeq()).isEqualTo(3);
    connector.send(push(2)); // redelivered
    assertThat(nextDelivered(2).getDeliveredThroughSeq()).isEqualTo(3);
    await().atMost(WAIT).until(() -> listener.messages.size() == 3);
    assertThat(listener.messages).extracting(ChatMsg::getSeq).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aSyncPage_isAcknowledgedWithOneDelivered_thatNamesEveryMessage() throws Exception {
    connect(page(1, 2, 3).addHeads(head(3, 0)).build());

    AckMsg delivered = nextDelivered(3);
    assertThat(delivered.getAckMsgId()).isEqualTo(103);
    assertThat(delivered.getDeliveredThroughSeq()).isEqualTo(3);
    assertThat(delivered.getAlsoAckedList())
        .extracting(AckedMsg::getMsgId, AckedMsg::getSeq, AckedMsg::getClientMsgId)
        .containsExactly(tuple(101L, 1L, "c-1"), tuple(102L, 2L, "c-2"));
    assertThat(connector.drain(300))
        .filteredOn(f -> f.hasAckMsg() && f.getAckMsg().getMsgType() == MsgType.DELIVERED)
        .isEmpty(); // no receipt per message besides
  }

  @Test
  void seqGap_requestsASyncPass_whosePageFillsIt() throws Exception {
    connect(page().build());
    connector.send(push(1));
    connector.send(push(3));

    Frame gapSync = nextSyncReq();
    assertThat(gapSync.getSyncReq().getCursor()).isEmpty();
    answer(gapSync, page(2, 3).addHeads(head(3, 0)).build());

    await().atMost(WAIT).until(() -> listener.messages.size() == 3); // long before the hold-back
    assertThat(listener.messages).extracting(ChatMsg::getSeq).containsExactly(1L, 2L, 3L);
  }

  @Test
  void headAboveWhatIsHeld_syncsAgainShortly_untilTheMessageIsThere() throws Exception {
    // Seq 3 was accepted (SENT) but is neither stored nor pushed: only the head tells.
    connect(page(1, 2).addHeads(head(3, 0)).build());

    Frame retry = nextSyncReq();
    assertThat(retry.getSyncReq().getCursor()).isEmpty();
    assertThat(listener.messages).hasSize(2);
    answer(retry, page(3).addHeads(head(3, 0)).build()); // stored by now

    await().atMost(WAIT).until(() -> listener.messages.size() == 3);
    assertThat(syncReqs(connector.drain(600))).isEmpty(); // holds everything up to the head
  }

  @Test
  void pushToAConversationOfUnknownStart_syncsToLearnIt_andThenClaimsTheWatermark()
      throws Exception {
    connect(page().build()); // the device had acknowledged everything up to 10
    connector.send(push(11));
    Frame learn = nextSyncReq();
    assertThat(nextDelivered(11).getDeliveredThroughSeq()).isZero(); // no claim yet

    // Not stored yet, but the head tells the device's cursor; the claim follows without a message.
    answer(learn, page().addHeads(head(11, 10)).build());
    AckMsg again = nextDelivered(11);
    assertThat(again.getAckMsgId()).isEqualTo(111);
    assertThat(again.getDeliveredThroughSeq()).isEqualTo(11);
    assertThat(listener.messages).extracting(ChatMsg::getSeq).containsExactly(11L);
  }

  @Test
  void ownSentMessageClosingAHole_isClaimedWithoutWaitingForTheNextMessage() throws Exception {
    connect(page().build());
    connector.send(push(1));
    nextDelivered(1);
    CompletableFuture<AckMsg> sent = client.sendText(BOB, "mine");
    Frame out = connector.next(Frame::hasChatMsg);
    connector.send(push(3)); // the peer's answer overtakes our SENT
    assertThat(nextDelivered(3).getDeliveredThroughSeq()).isEqualTo(1);

    connector.send(
        Frame.newBuilder()
            .setRequestId(out.getRequestId())
            .setAckMsg(
                AckMsg.newBuilder()
                    .setMsgType(MsgType.SENT)
                    .setClientMsgId(out.getChatMsg().getClientMsgId())
                    .setAckMsgId(102)
                    .setConversationId(CONV)
                    .setSeq(2))
            .build());
    sent.get(5, TimeUnit.SECONDS);

    AckMsg claim = nextDelivered(3);
    assertThat(claim.getDeliveredThroughSeq()).isEqualTo(3);
  }

  @Test
  void receiptsInASyncPage_reachTheListenerOnce_andAreAcknowledgedAfterThePage() throws Exception {
    connect(
        page()
            .addAcks(receipt(9001, MsgType.DELIVERED))
            .addAcks(receipt(9002, MsgType.READ))
            .build());

    Frame ack = nextSyncReq();
    assertThat(ack.getSyncReq().getAckOnly()).isTrue();
    assertThat(ack.getSyncReq().getReceiptsThroughId()).isEqualTo(9002);
    connector.send(Frame.newBuilder().setAckMsg(receipt(9001, MsgType.DELIVERED)).build());
    // A new fact (read further), not the page's READ again.
    connector.send(
        Frame.newBuilder().setAckMsg(receipt(9003, MsgType.READ).toBuilder().setSeq(2)).build());

    await().atMost(WAIT).until(() -> listener.receipts.size() == 3);
    assertThat(listener.receipts).extracting(AckMsg::getId).containsExactly(9001L, 9002L, 9003L);
  }

  @Test
  void receiptsOfAPageWithMore_goWithTheNextPageRequest() throws Exception {
    connect(
        page(1)
            .addAcks(receipt(9001, MsgType.DELIVERED))
            .setHasMore(true)
            .setNextCursor("c1")
            .build());

    SyncReq next = nextSyncReq().getSyncReq();
    assertThat(next.getCursor()).isEqualTo("c1");
    assertThat(next.getReceiptsThroughId()).isEqualTo(9001);
    assertThat(next.getAckOnly()).isFalse();
  }

  @Test
  void idleSync_afterTheQuietInterval() throws Exception {
    connect(ClientConfig.builder().idleSyncInterval(Duration.ofMillis(300)), page().build());

    Frame idle = nextSyncReq();
    assertThat(idle.getSyncReq().getCursor()).isEmpty();
    answer(idle, page().build());
    assertThat(nextSyncReq().getSyncReq().getCursor()).isEmpty(); // and again
  }

  @Test
  void connectorWithoutSync_refusalStaysInternal_andSyncingStops() throws Exception {
    connector.answerOthersWith(
        f ->
            f.hasSyncReq()
                ? new Frame[] {
                  Frame.newBuilder()
                      .setRequestId(f.getRequestId())
                      .setError(
                          Error.newBuilder()
                              .setCode(ErrorCode.UNSUPPORTED)
                              .setRequestId(f.getRequestId())
                              .setMessage("no sync here"))
                      .build()
                }
                : new Frame[0]);
    // No first page from this connector: the client asks after the request timeout.
    connect(ClientConfig.builder().requestTimeout(Duration.ofMillis(300)), null);
    nextSyncReq();

    connector.send(push(1));
    connector.send(push(3)); // a gap would sync, but the connector said it cannot
    await().atMost(WAIT).until(() -> listener.messages.size() == 2); // after the hold-back
    assertThat(syncReqs(connector.drain(300))).isEmpty();
    assertThat(listener.errors).isEmpty();
  }
}
