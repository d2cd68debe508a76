package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.rest.ConnectorAddress;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.AckedMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
import dev.switchboard.proto.Ping;
import io.netty.channel.EventLoopGroup;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK against {@link ScriptedConnector} over real TCP. */
class SwitchboardClientTest {

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

  private SwitchboardClient newClient(ClientConfig.Builder config) {
    client = new SwitchboardClient(config.deviceId("laptop").listener(listener).build());
    return client;
  }

  private SwitchboardClient connected() throws Exception {
    newClient(ClientConfig.builder().eventLoopGroup(group).reorderHoldBack(Duration.ofMillis(300)));
    client.connect(connector.session()).get(5, TimeUnit.SECONDS);
    assertThat(connector.next().hasLoginReq()).isTrue();
    return client;
  }

  private static Frame chat(long id, long seq) {
    return Frame.newBuilder()
        .setChatMsg(
            ChatMsg.newBuilder()
                .setId(id)
                .setClientMsgId("c-" + id)
                .setFromId(BOB)
                .setDestId(ScriptedConnector.USER_ID)
                .setConversationId(CONV)
                .setSeq(seq)
                .setMsgBody("hi " + seq))
        .build();
  }

  @Test
  void connect_sendsLoginReqWithTokenAndDevice_andCompletesOnLoginResp() throws Exception {
    newClient(ClientConfig.builder()); // own event loop group
    LoginResp resp = client.connect(connector.session()).get(5, TimeUnit.SECONDS);

    Frame login = connector.next();
    assertThat(login.getLoginReq().getToken()).isEqualTo("test-token");
    assertThat(login.getLoginReq().getDeviceId()).isEqualTo("laptop");
    assertThat(login.getRequestId()).isNotZero();
    assertThat(resp.getOk()).isTrue();
    assertThat(client.isConnected()).isTrue();
    assertThat(client.userId()).isEqualTo(ScriptedConnector.USER_ID);
    assertThat(client.connectorId()).isEqualTo("conn-test");
  }

  @Test
  void refusedLogin_failsWithTheErrorFramesCode() {
    connector.answerLoginWith(
        req ->
            new Frame[] {
              Frame.newBuilder()
                  .setLoginResp(LoginResp.newBuilder().setOk(false).setError("token expired"))
                  .build(),
              Frame.newBuilder()
                  .setError(
                      Error.newBuilder()
                          .setCode(ErrorCode.TOKEN_EXPIRED)
                          .setMessage("token expired"))
                  .build()
            });
    newClient(ClientConfig.builder().eventLoopGroup(group));

    assertThat(client.connect(connector.session()))
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            ServerErrorException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED));
    assertThat(client.isConnected()).isFalse();
    assertThat(listener.disconnects).isEmpty();
  }

  @Test
  void noLoginResp_failsAfterTheRequestTimeout() {
    connector.answerLoginWith(null);
    newClient(ClientConfig.builder().eventLoopGroup(group).requestTimeout(Duration.ofMillis(300)));

    assertThat(client.connect(connector.session()))
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(TimeoutException.class);
  }

  @Test
  void unreachableConnector_failsWithConnectException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    newClient(ClientConfig.builder().eventLoopGroup(group));
    LoginSession nowhere =
        new LoginSession(1, "t", Instant.now(), new ConnectorAddress("conn-x", "127.0.0.1", port));

    assertThat(client.connect(nowhere))
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ConnectException.class)
        .withMessageContaining("conn-x");
  }

  @Test
  void sendText_completesWithTheSentReceipt() throws Exception {
    connected();
    CompletableFuture<AckMsg> sent = client.sendText(BOB, "hello");

    Frame out = connector.next();
    ChatMsg msg = out.getChatMsg();
    assertThat(msg.getDestId()).isEqualTo(BOB);
    assertThat(msg.getMsgBody()).isEqualTo("hello");
    assertThat(msg.getClientMsgId()).isNotEmpty();
    AckMsg ack =
        AckMsg.newBuilder()
            .setMsgType(MsgType.SENT)
            .setAckMsgId(555)
            .setSeq(1)
            .setConversationId(CONV)
            .setClientMsgId(msg.getClientMsgId())
            .build();
    connector.send(Frame.newBuilder().setRequestId(out.getRequestId()).setAckMsg(ack).build());

    assertThat(sent.get(5, TimeUnit.SECONDS)).isEqualTo(ack);
    assertThat(listener.receipts).isEmpty(); // SENT goes to the future only
  }

  @Test
  void sendWithOwnClientMsgId_keepsIt_soThatAResendIsIdempotent() throws Exception {
    connected();
    ChatMsg draft =
        ChatMsg.newBuilder().setClientMsgId("fixed-1").setDestId(BOB).setMsgBody("x").build();
    CompletableFuture<AckMsg> first = client.send(draft);
    CompletableFuture<AckMsg> again = client.send(draft);

    assertThat(connector.next().getChatMsg().getClientMsgId()).isEqualTo("fixed-1");
    assertThat(connector.next().getChatMsg().getClientMsgId()).isEqualTo("fixed-1");
    connector.send(
        Frame.newBuilder()
            .setAckMsg(
                AckMsg.newBuilder().setMsgType(MsgType.SENT).setClientMsgId("fixed-1").setSeq(3))
            .build());

    assertThat(first.get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(3);
    assertThat(again.get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(3);
  }

  @Test
  void refusedSend_failsWithTheServersCode_andTheConnectionStaysUsable() throws Exception {
    connected();
    CompletableFuture<AckMsg> sent = client.sendText(424242, "who?");
    Frame out = connector.next();
    connector.send(
        Frame.newBuilder()
            .setError(
                Error.newBuilder()
                    .setCode(ErrorCode.UNKNOWN_DESTINATION)
                    .setMessage("no user 424242")
                    .setClientMsgId(out.getChatMsg().getClientMsgId())
                    .setRequestId(out.getRequestId()))
            .build());

    assertThat(sent)
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(
            ServerErrorException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION));
    assertThat(client.isConnected()).isTrue();
    assertThat(listener.errors).isEmpty();
  }

  @Test
  void unansweredSend_timesOut() throws Exception {
    newClient(ClientConfig.builder().eventLoopGroup(group).requestTimeout(Duration.ofMillis(300)));
    client.connect(connector.session()).get(5, TimeUnit.SECONDS);

    assertThat(client.sendText(BOB, "anyone?"))
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(TimeoutException.class);
  }

  @Test
  void sendBeforeConnect_failsWithConnectionClosed() {
    newClient(ClientConfig.builder().eventLoopGroup(group));
    assertThat(client.sendText(BOB, "x"))
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ConnectionClosedException.class);
  }

  @Test
  void incomingMessage_isAckedDelivered_andRedeliveryIsAckedAgainButShownOnce() throws Exception {
    connected();
    connector.send(chat(101, 1));

    for (int i = 0; i < 2; i++) {
      if (i == 1) {
        connector.send(chat(101, 1)); // our DELIVERED may have been lost: acknowledged again
      }
      AckMsg delivered = connector.next().getAckMsg();
      assertThat(delivered.getMsgType()).isEqualTo(MsgType.DELIVERED);
      assertThat(delivered.getDestId()).isEqualTo(BOB);
      assertThat(delivered.getAckMsgId()).isEqualTo(101);
      assertThat(delivered.getSeq()).isEqualTo(1);
      assertThat(delivered.getConversationId()).isEqualTo(CONV);
      assertThat(delivered.getClientMsgId()).isEqualTo("c-101");
    }
    await().atMost(WAIT).until(() -> listener.messages.size() == 1);
    connector.send(chat(102, 2));
    await().atMost(WAIT).until(() -> listener.messages.size() == 2);
    assertThat(listener.messages).extracting(ChatMsg::getId).containsExactly(101L, 102L);
    assertThat(listener.threads)
        .allSatisfy(t -> assertThat(t).startsWith("switchboard-client-callbacks-"));
  }

  @Test
  void ownMessageFromAnotherDevice_isShownButNotAcked() throws Exception {
    connected();
    connector.send(
        Frame.newBuilder()
            .setChatMsg(
                ChatMsg.newBuilder()
                    .setId(201)
                    .setFromId(ScriptedConnector.USER_ID)
                    .setFromDeviceId("phone")
                    .setDestId(BOB)
                    .setConversationId(CONV)
                    .setSeq(1))
            .build());
    connector.send(chat(202, 2));

    await().atMost(WAIT).until(() -> listener.messages.size() == 2);
    AckMsg onlyAck = connector.next().getAckMsg();
    assertThat(onlyAck.getAckMsgId()).isEqualTo(202); // none for 201
  }

  @Test
  void outOfOrderMessages_areShownInSeqOrder() throws Exception {
    connected();
    connector.send(chat(101, 1));
    connector.send(chat(103, 3));
    connector.send(chat(104, 4));
    connector.send(chat(102, 2));

    await().atMost(WAIT).until(() -> listener.messages.size() == 4);
    assertThat(listener.messages).extracting(ChatMsg::getSeq).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void gapThatNeverFills_isShownAfterTheHoldBack() throws Exception {
    connected(); // hold-back 300ms
    connector.send(chat(101, 1));
    connector.send(chat(103, 3));

    await().atMost(WAIT).until(() -> listener.messages.size() == 2);
    assertThat(listener.messages).extracting(ChatMsg::getSeq).containsExactly(1L, 3L);
  }

  @Test
  void ownSentMessage_doesNotMakeThePeersNextMessageWait() throws Exception {
    newClient(ClientConfig.builder().eventLoopGroup(group).reorderHoldBack(Duration.ofMinutes(5)));
    client.connect(connector.session()).get(5, TimeUnit.SECONDS);
    connector.next();
    connector.send(chat(101, 1));
    await().atMost(WAIT).until(() -> listener.messages.size() == 1);
    connector.next(); // DELIVERED

    CompletableFuture<AckMsg> sent = client.sendText(BOB, "mine");
    String cmid = connector.next().getChatMsg().getClientMsgId();
    connector.send(
        Frame.newBuilder()
            .setAckMsg(
                AckMsg.newBuilder()
                    .setMsgType(MsgType.SENT)
                    .setClientMsgId(cmid)
                    .setAckMsgId(102)
                    .setConversationId(CONV)
                    .setSeq(2))
            .build());
    sent.get(5, TimeUnit.SECONDS);
    connector.send(chat(103, 3));

    await().atMost(WAIT).until(() -> listener.messages.size() == 2); // not held for 5 minutes
  }

  @Test
  void markRead_sendsReadToThePeerWithTheMessageId() throws Exception {
    connected();
    connector.send(chat(101, 1));
    await().atMost(WAIT).until(() -> listener.messages.size() == 1);
    connector.next(); // DELIVERED

    client.markRead(CONV, 1);

    AckMsg read = connector.next().getAckMsg();
    assertThat(read.getMsgType()).isEqualTo(MsgType.READ);
    assertThat(read.getDestId()).isEqualTo(BOB);
    assertThat(read.getConversationId()).isEqualTo(CONV);
    assertThat(read.getSeq()).isEqualTo(1);
    assertThat(read.getAckMsgId()).isEqualTo(101);
  }

  @Test
  void receiptsFromThePeer_reachTheListenerOnce() throws Exception {
    connected();
    Frame delivered =
        Frame.newBuilder()
            .setAckMsg(
                AckMsg.newBuilder()
                    .setId(9001)
                    .setMsgType(MsgType.DELIVERED)
                    .setFromId(BOB)
                    .setAckMsgId(555)
                    .setSeq(1))
            .build();
    connector.send(delivered);
    connector.send(delivered);
    connector.send(
        Frame.newBuilder()
            .setAckMsg(
                AckMsg.newBuilder().setId(9002).setMsgType(MsgType.READ).setFromId(BOB).setSeq(1))
            .build());

    await().atMost(WAIT).until(() -> listener.receipts.size() == 2);
    assertThat(listener.receipts)
        .extracting(AckMsg::getMsgType)
        .containsExactly(MsgType.DELIVERED, MsgType.READ);
  }

  @Test
  void aDeliveredForSeveralMessages_reachesTheListenerAsOneReceiptPerMessage() throws Exception {
    connected();
    connector.send(
        Frame.newBuilder()
            .setAckMsg(
                AckMsg.newBuilder()
                    .setId(9201)
                    .setMsgType(MsgType.DELIVERED)
                    .setFromId(BOB)
                    .setAckMsgId(603)
                    .setClientMsgId("c-3")
                    .setConversationId(CONV)
                    .setSeq(3)
                    .addAlsoAcked(
                        AckedMsg.newBuilder().setMsgId(601).setClientMsgId("c-1").setSeq(1))
                    .addAlsoAcked(
                        AckedMsg.newBuilder().setMsgId(602).setClientMsgId("c-2").setSeq(2)))
            .build());
    // A later receipt naming one of them again tells nothing new.
    connector.send(
        Frame.newBuilder()
            .setAckMsg(
                AckMsg.newBuilder()
                    .setId(9202)
                    .setMsgType(MsgType.DELIVERED)
                    .setFromId(BOB)
                    .setAckMsgId(602)
                    .setConversationId(CONV)
                    .setSeq(2))
            .build());

    await().atMost(WAIT).until(() -> listener.receipts.size() == 3);
    assertThat(listener.receipts)
        .extracting(AckMsg::getAckMsgId, AckMsg::getSeq, AckMsg::getClientMsgId, AckMsg::getId)
        .containsExactly(
            tuple(603L, 3L, "c-3", 9201L),
            tuple(601L, 1L, "c-1", 9201L),
            tuple(602L, 2L, "c-2", 9201L));
    assertThat(listener.receipts).allSatisfy(r -> assertThat(r.getAlsoAckedList()).isEmpty());
  }

  @Test
  void theSameDeliveryUnderANewReceiptId_reachesTheListenerOnce() throws Exception {
    connected();
    for (long receiptId : new long[] {9101, 9102}) {
      // A peer device repeats its DELIVERED to carry a newer watermark: a new receipt id.
      connector.send(
          Frame.newBuilder()
              .setAckMsg(
                  AckMsg.newBuilder()
                      .setId(receiptId)
                      .setMsgType(MsgType.DELIVERED)
                      .setFromId(BOB)
                      .setAckMsgId(556)
                      .setConversationId(CONV)
                      .setSeq(2)
                      .setDeliveredThroughSeq(receiptId - 9100))
              .build());
    }
    connector.send(
        Frame.newBuilder()
            .setAckMsg(
                AckMsg.newBuilder()
                    .setId(9103)
                    .setMsgType(MsgType.READ)
                    .setFromId(BOB)
                    .setConversationId(CONV)
                    .setSeq(2))
            .build());

    await().atMost(WAIT).until(() -> listener.receipts.size() == 2);
    assertThat(listener.receipts).extracting(AckMsg::getId).containsExactly(9101L, 9103L);
  }

  @Test
  void errorNotTiedToASend_goesToTheListener() throws Exception {
    connected();
    connector.send(
        Frame.newBuilder()
            .setError(Error.newBuilder().setCode(ErrorCode.RATE_LIMITED).setMessage("slow down"))
            .build());
    await().atMost(WAIT).until(() -> listener.errors.size() == 1);
  }

  @Test
  void notices_reachTheListener_inOrderWithMessages_offTheEventLoop() throws Exception {
    connected();
    Frame presence =
        Frame.newBuilder()
            .setNotice(
                Notice.newBuilder()
                    .setType(NoticeType.PRESENCE)
                    .setFromUserId(BOB)
                    .setOnline(true)
                    .setAtMs(1234))
            .build();
    connector.send(presence);
    connector.send(chat(101, 1));
    connector.send(
        Frame.newBuilder()
            .setNotice(
                Notice.newBuilder()
                    .setType(NoticeType.FRIEND_REQUEST)
                    .setFromUserId(1003)
                    .setFriendRequestId(12)
                    .setText("hi"))
            .build());

    await().atMost(WAIT).until(() -> listener.notices.size() == 2);
    assertThat(listener.notices.get(0)).isEqualTo(presence.getNotice());
    assertThat(listener.notices.get(1).getFriendRequestId()).isEqualTo(12);
    assertThat(listener.events)
        .containsExactly("notice PRESENCE", "message 1", "notice FRIEND_REQUEST");
    assertThat(listener.threads).allMatch(t -> t.startsWith("switchboard-client-callbacks"));
  }

  @Test
  void serverPing_isAnsweredWithPongOfTheSameTime() throws Exception {
    connected();
    connector.send(
        Frame.newBuilder().setRequestId(77).setPing(Ping.newBuilder().setTimeMs(12345)).build());

    Frame pong = connector.next();
    assertThat(pong.getPong().getTimeMs()).isEqualTo(12345);
    assertThat(pong.getRequestId()).isEqualTo(77);
  }

  @Test
  void afterLogin_pingsEveryHeartbeatInterval_andGivesUpOnASilentServer() throws Exception {
    connector.answerLoginWith(
        req ->
            new Frame[] {
              Frame.newBuilder()
                  .setLoginResp(
                      LoginResp.newBuilder()
                          .setOk(true)
                          .setUserId(ScriptedConnector.USER_ID)
                          .setHeartbeatIntervalSeconds(1))
                  .build()
            });
    // Reconnecting off: the test wants to see the connection stay down.
    newClient(ClientConfig.builder().eventLoopGroup(group).reconnectEnabled(false));
    client.connect(connector.session()).get(5, TimeUnit.SECONDS);
    connector.next(); // LoginReq

    Frame ping = connector.poll(2500);
    assertThat(ping).isNotNull();
    assertThat(ping.hasPing()).isTrue();

    // The scripted server never writes again: after 3 intervals the client closes.
    await().atMost(Duration.ofSeconds(6)).until(() -> listener.disconnects.size() == 1);
    assertThat(listener.disconnects.get(0)).contains("no data from connector conn-test for 3s");
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void kick_isReported_thenTheDisconnect_andPendingSendsFail() throws Exception {
    connected();
    CompletableFuture<AckMsg> pending = client.sendText(BOB, "in flight");
    connector.next();
    connector.send(
        Frame.newBuilder()
            .setKick(Kick.newBuilder().setReason(KickReason.LOGGED_IN_ELSEWHERE))
            .build());
    connector.dropClient();

    await().atMost(WAIT).until(() -> listener.disconnects.size() == 1);
    assertThat(listener.events).containsSubsequence("kicked LOGGED_IN_ELSEWHERE", "disconnected");
    assertThat(listener.disconnects.get(0)).contains("kicked: LOGGED_IN_ELSEWHERE");
    assertThat(pending)
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ConnectionClosedException.class);
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void close_disconnectsWithNullCause_andIsIdempotent() throws Exception {
    connected();
    client.close();
    client.close();

    await().atMost(WAIT).until(() -> listener.disconnects.size() == 1);
    assertThat(listener.disconnects).containsExactly("null");
    assertThat(client.isConnected()).isFalse();
    assertThat(client.connect(connector.session()))
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(IllegalStateException.class);
  }
}
