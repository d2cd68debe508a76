package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.rest.CannedHttpServer;
import dev.switchboard.client.rest.CannedHttpServer.Answer;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.MsgType;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Automatic reconnection against {@link ScriptedConnector}s (and a canned account-api). */
class SwitchboardClientReconnectTest {

  private static final long BOB = 1002;
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Short delays so that the tests do not wait; the jitter still applies. */
  private static final ReconnectPolicy FAST =
      ReconnectPolicy.defaults().withDelays(Duration.ofMillis(20), Duration.ofMillis(200));

  private static EventLoopGroup group;

  private ScriptedConnector connector;
  private final RecordingListener listener = new RecordingListener();
  private final AtomicInteger logins = new AtomicInteger();
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
    answerLogins(connector, "conn-test");
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    connector.close();
  }

  /** Every login gets a fresh LoginResp: server_time_ms counts the logins. */
  private void answerLogins(ScriptedConnector target, String connectorId) {
    target.answerLoginWith(
        req ->
            new Frame[] {
              Frame.newBuilder()
                  .setRequestId(req.getRequestId())
                  .setLoginResp(
                      LoginResp.newBuilder()
                          .setOk(true)
                          .setUserId(ScriptedConnector.USER_ID)
                          .setConnectorId(connectorId)
                          .setServerTimeMs(logins.incrementAndGet())
                          .setHeartbeatIntervalSeconds(30))
                  .build()
            });
  }

  private SwitchboardClient newClient(ClientConfig.Builder config) {
    client =
        new SwitchboardClient(
            config.eventLoopGroup(group).deviceId("laptop").listener(listener).build());
    return client;
  }

  private void connected(ReconnectPolicy policy) throws Exception {
    newClient(ClientConfig.builder().reconnect(policy));
    client.connect(connector.session()).get(5, TimeUnit.SECONDS);
    assertThat(connector.next().hasLoginReq()).isTrue();
  }

  private static Frame kick(KickReason reason) {
    return Frame.newBuilder().setKick(Kick.newBuilder().setReason(reason)).build();
  }

  @Test
  void droppedConnection_failsPendingSends_thenReconnectsWithAFreshLogin_andSaysSo()
      throws Exception {
    connected(FAST);
    CompletableFuture<AckMsg> inFlight = client.sendText(BOB, "in flight");
    connector.next(Frame::hasChatMsg);

    connector.dropClient();

    assertThat(inFlight)
        .failsWithin(WAIT)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ConnectionClosedException.class);
    Frame again = connector.next(Frame::hasLoginReq);
    assertThat(again.getLoginReq().getToken()).isEqualTo("test-token");
    assertThat(again.getLoginReq().getDeviceId()).isEqualTo("laptop");
    await().atMost(WAIT).until(() -> listener.reconnects.size() == 1);
    assertThat(listener.reconnects.get(0).getServerTimeMs()).isEqualTo(2); // the second login's
    assertThat(listener.events).containsSubsequence("disconnected", "reconnected");
    assertThat(client.isConnected()).isTrue();
    assertThat(client.isReconnecting()).isFalse();

    // Usable again: the caller retries with the same client_msg_id.
    CompletableFuture<AckMsg> retried = client.sendText(BOB, "retried");
    Frame out = connector.next(Frame::hasChatMsg);
    connector.send(
        Frame.newBuilder()
            .setRequestId(out.getRequestId())
            .setAckMsg(
                AckMsg.newBuilder()
                    .setMsgType(MsgType.SENT)
                    .setClientMsgId(out.getChatMsg().getClientMsgId())
                    .setSeq(1))
            .build());
    assertThat(retried.get(5, TimeUnit.SECONDS).getSeq()).isEqualTo(1);
  }

  @Test
  void connectorGone_reconnectLogsInAgainOverRest_andConnectsWhereAccountApiSays()
      throws Exception {
    try (CannedHttpServer api = new CannedHttpServer();
        ScriptedConnector second = new ScriptedConnector(group)) {
      answerLogins(second, "conn-two");
      api.answer("POST /api/v1/sessions", Answer.json(200, sessionJson("conn-test", connector)));
      newClient(ClientConfig.builder().apiBaseUrl(api.baseUrl()).reconnect(FAST));
      client.loginAndConnect("alice", "secret-pw").get(5, TimeUnit.SECONDS);
      connector.next();

      api.answer("POST /api/v1/sessions", Answer.json(200, sessionJson("conn-two", second)));
      connector.close(); // the connector is gone: connections to it are refused

      Frame login = second.next(Frame::hasLoginReq);
      assertThat(login.getLoginReq().getToken()).isEqualTo("token-conn-two");
      await().atMost(WAIT).until(() -> listener.reconnects.size() == 1);
      assertThat(listener.reconnects.get(0).getConnectorId()).isEqualTo("conn-two");
      assertThat(client.connectorId()).isEqualTo("conn-two");
      assertThat(client.session().orElseThrow().token()).isEqualTo("token-conn-two");
      assertThat(api.requests())
          .filteredOn(r -> r.pathAndQuery().equals("/api/v1/sessions"))
          .hasSize(2)
          .allSatisfy(r -> assertThat(r.body()).contains("\"alice\"", "\"laptop\""));
    }
  }

  private static String sessionJson(String connectorId, ScriptedConnector target) {
    return """
        {"userId":%d,"token":"token-%s","expiresAt":"2030-01-01T00:00:00Z",
         "connector":{"id":"%s","host":"127.0.0.1","port":%d}}
        """
        .formatted(ScriptedConnector.USER_ID, connectorId, connectorId, target.port());
  }

  @Test
  void kickLoggedInElsewhere_endsTheSession_withoutReconnecting() throws Exception {
    connected(FAST);
    connector.send(kick(KickReason.LOGGED_IN_ELSEWHERE));
    connector.dropClient();

    await().atMost(WAIT).until(() -> listener.disconnects.size() == 1);
    assertThat(connector.drain(500)).noneMatch(Frame::hasLoginReq);
    assertThat(client.isReconnecting()).isFalse();
    assertThat(client.isConnected()).isFalse();
    assertThat(listener.reconnects).isEmpty();
  }

  @Test
  void kickServerShutdown_reconnects() throws Exception {
    connected(FAST);
    connector.send(kick(KickReason.SERVER_SHUTDOWN));
    connector.dropClient();

    connector.next(Frame::hasLoginReq); // no credentials: the session's connector again
    await().atMost(WAIT).until(() -> listener.reconnects.size() == 1);
    assertThat(listener.events)
        .containsSubsequence("kicked SERVER_SHUTDOWN", "disconnected", "reconnected");
  }

  @Test
  void reconnectDisabled_leavesTheConnectionDown() throws Exception {
    connected(ReconnectPolicy.disabled());
    connector.dropClient();

    await().atMost(WAIT).until(() -> listener.disconnects.size() == 1);
    assertThat(connector.drain(500)).noneMatch(Frame::hasLoginReq);
    assertThat(client.isReconnecting()).isFalse();
  }

  @Test
  void close_whileReconnecting_stopsTheAttempts() throws Exception {
    connected(FAST);
    connector.close(); // every attempt is refused from now on
    await().atMost(WAIT).until(() -> listener.disconnects.size() == 1);
    assertThat(client.isReconnecting()).isTrue();

    client.close();

    assertThat(client.isReconnecting()).isFalse();
    assertThat(listener.reconnectFailures).isEmpty();
    assertThat(listener.disconnects).hasSize(1); // the session had already ended
  }

  @Test
  void limitedAttempts_giveUp_andTellTheListener() throws Exception {
    connected(FAST.withMaxAttempts(3));
    connector.close();

    await().atMost(WAIT).until(() -> listener.reconnectFailures.size() == 1);
    assertThat(listener.reconnectFailures.get(0)).hasMessageContaining("after 3 attempts");
    assertThat(client.isReconnecting()).isFalse();
  }
}
