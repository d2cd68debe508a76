package dev.switchboard.userstatus;

import static dev.switchboard.userstatus.InProcessUserStatus.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.internal.OfflineRequest;
import dev.switchboard.proto.internal.OnlineRequest;
import dev.switchboard.proto.internal.RenewRequest;
import dev.switchboard.proto.internal.RouteChanges;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.proto.internal.WatchRoutesRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

@ExtendWith(InfraExtension.class)
class RouteWatchIT {

  private final EmbeddedRedis redis;
  private final TestIds ids = new TestIds();
  private final MutableClock clock = new MutableClock();
  private String prefix;
  private InProcessUserStatus userStatus;

  RouteWatchIT(EmbeddedRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void startService() throws Exception {
    prefix = ids.keyPrefix();
    userStatus = InProcessUserStatus.start(redis.url(), clock, InProcessUserStatus.TTL, prefix);
  }

  @AfterEach
  void stopService() throws Exception {
    userStatus.close();
  }

  @Test
  void aWatcher_hearsEveryRouteChange_andNothingForAMereExtension() throws Exception {
    Watch watch = Watch.open(userStatus);
    long alice = ids.userId();
    long bob = ids.userId();
    long carol = ids.userId();
    SessionRoute phone = session(alice, "phone", "conn-a", ids.sessionId());
    SessionRoute laptop = session(bob, "laptop", "conn-b", ids.sessionId());

    online(phone);
    assertThat(watch.next()).containsExactly(alice);

    // Extending a live route moves only its expiry: the next change is Bob's, not Alice's.
    renew("conn-a", phone);
    online(laptop);
    assertThat(watch.next()).containsExactly(bob);

    // An Offline of a session that no longer owns the device changes nothing: the next change
    // announced is Carol's login.
    offline(session(alice, "phone", "conn-a", ids.sessionId()));
    online(session(carol, "tablet", "conn-a", ids.sessionId()));
    assertThat(watch.next()).containsExactly(carol);
    offline(phone);
    assertThat(watch.next()).containsExactly(alice);

    // Renew re-creates what Redis lost, which is a change again; so is the logout of a route
    // Redis lost, which a cache may still hold.
    userStatus.redis().del(userStatus.keys().routes(bob));
    renew("conn-b", laptop);
    assertThat(watch.next()).containsExactly(bob);
    userStatus.redis().del(userStatus.keys().routes(bob));
    offline(laptop);
    assertThat(watch.next()).containsExactly(bob);
    watch.cancel();
  }

  @Test
  void aLiveStream_carriesAnEmptyMessageEveryPing_soThatSilenceMeansDead() throws Exception {
    Watch watch = Watch.open(userStatus);

    // The service pings Redis every 200 ms here.
    await().atMost(Duration.ofSeconds(5)).until(() -> watch.heartbeats.get() >= 3);
    watch.cancel();
  }

  @Test
  void aRouteThatHadExpired_isAnnouncedWhenItsRenewalBringsItBack() throws Exception {
    long carol = ids.userId();
    SessionRoute tablet = session(carol, "tablet", "conn-a", ids.sessionId());
    online(tablet);
    Watch watch = Watch.open(userStatus);

    clock.advance(InProcessUserStatus.TTL.plusSeconds(1));
    online(session(ids.userId(), "phone", "conn-a", ids.sessionId()));
    watch.next();
    renew("conn-a", tablet);

    assertThat(watch.next()).containsExactly(carol);
    watch.cancel();
  }

  @Test
  void changesMadeThroughAnotherInstance_reachThisInstancesWatchers() throws Exception {
    Watch watch = Watch.open(userStatus);
    long dave = ids.userId();
    try (InProcessUserStatus other =
        InProcessUserStatus.start(redis.url(), clock, InProcessUserStatus.TTL, prefix)) {
      other
          .stub()
          .online(
              OnlineRequest.newBuilder()
                  .setSession(session(dave, "phone", "conn-z", ids.sessionId()))
                  .build());
    }
    assertThat(watch.next()).containsExactly(dave);
    watch.cancel();
  }

  @Test
  void whenTheSubscriptionBreaks_theStreamFails_andAWatchAfterItIsLiveAgain() throws Exception {
    Watch first = Watch.open(userStatus);

    try (Jedis admin = new Jedis(URI.create(redis.url()))) {
      admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
    }

    assertThat(first.failure()).extracting(Status::getCode).isEqualTo(Status.Code.UNAVAILABLE);
    Watch second = Watch.open(userStatus);
    long erin = ids.userId();
    online(session(erin, "phone", "conn-a", ids.sessionId()));
    assertThat(second.next()).containsExactly(erin);
    second.cancel();
  }

  @Test
  void anUnreadableMessageOnTheChannel_failsTheStreams_asAMissedChangeWould() throws Exception {
    Watch watch = Watch.open(userStatus);

    // Someone else writes to the channel: which routes changed is unknown.
    try (Jedis other = new Jedis(URI.create(redis.url()))) {
      other.publish(userStatus.keys().routeChanges(), "not,ids");
    }

    assertThat(watch.failure()).extracting(Status::getCode).isEqualTo(Status.Code.UNAVAILABLE);
    Watch again = Watch.open(userStatus);
    long frank = ids.userId();
    online(session(frank, "phone", "conn-a", ids.sessionId()));
    assertThat(again.next()).containsExactly(frank);
    again.cancel();
  }

  private void online(SessionRoute session) {
    userStatus.stub().online(OnlineRequest.newBuilder().setSession(session).build());
  }

  private void offline(SessionRoute session) {
    userStatus.stub().offline(OfflineRequest.newBuilder().setSession(session).build());
  }

  private void renew(String connectorId, SessionRoute... sessions) {
    userStatus
        .stub()
        .renew(
            RenewRequest.newBuilder()
                .setConnectorId(connectorId)
                .addAllSessions(List.of(sessions))
                .build());
  }

  /** One WatchRoutes stream, read message by message. */
  private static final class Watch implements StreamObserver<RouteChanges> {
    private final BlockingQueue<RouteChanges> messages = new LinkedBlockingQueue<>();
    private final AtomicReference<Status> failure = new AtomicReference<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final Context.CancellableContext context = Context.current().withCancellation();

    /**
     * Opens a stream and waits for its first (empty, "live") message; again while the service is
     * refusing because its subscription is not confirmed yet (right after it started).
     */
    static Watch open(InProcessUserStatus service) {
      return await().atMost(Duration.ofSeconds(10)).until(() -> tryOpen(service), w -> w != null);
    }

    /** Null if the stream failed instead of going live. */
    static Watch tryOpen(InProcessUserStatus service) throws InterruptedException {
      Watch watch = new Watch();
      watch.context.run(
          () -> service.asyncStub().watchRoutes(WatchRoutesRequest.getDefaultInstance(), watch));
      RouteChanges first = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (first == null && watch.failure.get() == null && System.nanoTime() < deadline) {
        first = watch.messages.poll(20, TimeUnit.MILLISECONDS);
      }
      if (first == null) {
        watch.cancel();
        return null;
      }
      assertThat(first.getUserIdsList()).isEmpty();
      return watch;
    }

    /** The user ids of the next change (heartbeats skipped). */
    List<Long> next() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline) {
        RouteChanges message = messages.poll(50, TimeUnit.MILLISECONDS);
        if (message != null && message.getUserIdsCount() > 0) {
          return message.getUserIdsList();
        }
      }
      throw new AssertionError("no route change within 5 s");
    }

    Status failure() {
      return await().atMost(Duration.ofSeconds(5)).until(failure::get, f -> f != null);
    }

    void cancel() {
      context.cancel(null);
    }

    @Override
    public void onNext(RouteChanges value) {
      if (value.getUserIdsCount() == 0) {
        heartbeats.incrementAndGet();
      }
      messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
      failure.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      failure.set(Status.OK);
    }
  }
}
