package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.rest.ApiException;
import dev.switchboard.client.rest.ApiUnreachableException;
import dev.switchboard.client.rest.ConnectorAddress;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.client.retry.ManualScheduler;
import dev.switchboard.proto.ErrorCode;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ReconnectorTest {

  private static final LoginSession OLD = session("conn-a", "token-a");
  private static final LoginSession FRESH = session("conn-b", "token-b");

  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<String> opened = new ArrayList<>();
  private final List<Throwable> gaveUp = new ArrayList<>();
  private final Deque<CompletableFuture<LoginSession>> logins = new ArrayDeque<>();
  private int loginCalls;
  private boolean hasCredentials = true;

  private static LoginSession session(String connector, String token) {
    return new LoginSession(
        1, token, Instant.now().plusSeconds(3600), new ConnectorAddress(connector, "h", 1));
  }

  private final Reconnector.Target target =
      new Reconnector.Target() {
        @Override
        public void open(LoginSession session) {
          opened.add(session.connector().id() + "/" + session.token());
        }

        @Override
        public boolean canLogIn() {
          return hasCredentials;
        }

        @Override
        public CompletableFuture<LoginSession> logIn() {
          loginCalls++;
          return logins.isEmpty() ? CompletableFuture.completedFuture(FRESH) : logins.poll();
        }

        @Override
        public void gaveUp(Throwable cause) {
          gaveUp.add(cause);
        }
      };

  /** Jitter draws: always the middle of the range. */
  private static final RandomGenerator HALF =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          throw new UnsupportedOperationException();
        }

        @Override
        public double nextDouble() {
          return 0.5;
        }
      };

  private Reconnector reconnector(ReconnectPolicy policy) {
    return new Reconnector(policy.withRandom(() -> HALF), scheduler, Runnable::run, target);
  }

  private final Reconnector reconnector = reconnector(ReconnectPolicy.defaults());

  @Test
  void firstAttempt_goesToTheSameConnectorWithTheSameToken_afterAJitteredDelay() {
    reconnector.start(OLD, false);
    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100)); // half of 200

    scheduler.advance(99);
    assertThat(opened).isEmpty();
    scheduler.advance(1);
    assertThat(opened).containsExactly("conn-a/token-a");
    assertThat(loginCalls).isZero();

    reconnector.onConnected();
    assertThat(reconnector.active()).isFalse();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void sameConnectorGone_logsInAgainOverRest_andOpensTheConnectorItHandsOut() {
    reconnector.start(OLD, false);
    scheduler.advance(100);
    reconnector.onAttemptFailed(new ConnectException("connection refused"));

    assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(200)); // half of 400
    scheduler.advance(200);
    assertThat(loginCalls).isEqualTo(1);
    assertThat(opened).containsExactly("conn-a/token-a", "conn-b/token-b");
  }

  @Test
  void withoutCredentials_keepsTryingTheSessionsConnector_withGrowingJitteredDelays() {
    hasCredentials = false;
    reconnector.start(OLD, false);
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      delays.addAll(scheduler.pendingDelays());
      scheduler.advance(10_000);
      reconnector.onAttemptFailed(new ConnectException("connection refused"));
    }
    assertThat(delays)
        .extracting(Duration::toMillis)
        .containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L); // cap 10s, halved
    assertThat(opened).hasSize(8).allMatch(o -> o.equals("conn-a/token-a"));
    assertThat(loginCalls).isZero();
    assertThat(gaveUp).isEmpty();
  }

  @Test
  void serverShutdown_skipsTheSameConnector() {
    reconnector.start(OLD, true);
    scheduler.advance(100);
    assertThat(loginCalls).isEqualTo(1);
    assertThat(opened).containsExactly("conn-b/token-b");
  }

  @Test
  void expiredToken_isRenewedOverRest_orEndsReconnectingWithoutCredentials() {
    reconnector.start(OLD, false);
    scheduler.advance(100);
    reconnector.onAttemptFailed(new ServerErrorException(ErrorCode.TOKEN_EXPIRED, "expired"));
    scheduler.advance(200);
    assertThat(opened).containsExactly("conn-a/token-a", "conn-b/token-b");

    hasCredentials = false;
    Reconnector other = reconnector(ReconnectPolicy.defaults());
    other.start(OLD, false);
    scheduler.advance(100);
    other.onAttemptFailed(new ServerErrorException(ErrorCode.INVALID_TOKEN, "revoked"));
    assertThat(gaveUp).singleElement().isInstanceOf(ServerErrorException.class);
    assertThat(other.active()).isFalse();
  }

  @Test
  void refusedCredentials_endReconnecting_butAnUnreachableApiIsRetried() {
    reconnector.start(OLD, true);
    logins.add(
        CompletableFuture.failedFuture(
            new ApiUnreachableException(URI.create("http://api"), "connection refused", null)));
    logins.add(
        CompletableFuture.failedFuture(
            new ApiException("POST /api/v1/sessions", 401, "invalid-credentials", "", "")));

    scheduler.advance(100);
    assertThat(gaveUp).isEmpty();
    assertThat(reconnector.active()).isTrue();
    scheduler.advance(200);
    assertThat(loginCalls).isEqualTo(2);
    assertThat(gaveUp).singleElement().isInstanceOf(ApiException.class);
    assertThat(opened).isEmpty();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void maxAttempts_endReconnecting() {
    Reconnector limited = reconnector(ReconnectPolicy.defaults().withMaxAttempts(2));
    hasCredentials = false;
    limited.start(OLD, false);
    scheduler.advance(10_000);
    limited.onAttemptFailed(new ConnectException("refused"));
    scheduler.advance(10_000);
    limited.onAttemptFailed(new ConnectException("refused"));

    assertThat(opened).hasSize(2);
    assertThat(gaveUp)
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessageContaining("after 2 attempts"));
  }

  @Test
  void stop_cancelsTheWaitingAttempt_andALateRestAnswerDoesNothing() {
    CompletableFuture<LoginSession> slowLogin = new CompletableFuture<>();
    logins.add(slowLogin);
    reconnector.start(OLD, true);
    scheduler.advance(100); // the REST login is under way
    reconnector.stop();
    slowLogin.complete(FRESH);
    assertThat(opened).isEmpty();

    reconnector.start(OLD, false);
    reconnector.stop();
    scheduler.advance(60_000);
    assertThat(opened).isEmpty();
    assertThat(gaveUp).isEmpty();
  }
}
