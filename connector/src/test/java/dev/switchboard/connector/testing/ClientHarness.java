package dev.switchboard.connector.testing;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.concurrent.DaemonThreads;
import dev.switchboard.connector.ConnectorMetrics;
import dev.switchboard.connector.auth.Authenticator;
import dev.switchboard.connector.net.ClientChannelInitializer;
import dev.switchboard.connector.net.ClientServices;
import dev.switchboard.connector.net.ClientSettings;
import dev.switchboard.connector.route.CursorWriter;
import dev.switchboard.connector.route.SessionRegistrar;
import dev.switchboard.connector.session.SessionTable;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginReq;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The real client pipeline on EmbeddedChannels, with in-memory user-status, transfer and remote
 * connectors. Each {@link #connect()} is one client connection; frames go in as bytes and come out
 * as bytes, exactly as on a socket.
 */
public final class ClientHarness implements AutoCloseable {
  public static final String CONNECTOR_ID = "conn-test";
  public static final byte[] SECRET =
      "test-secret-test-secret-test-secret!".getBytes(StandardCharsets.UTF_8);
  public static final Duration SYNC_WAIT = Duration.ofMillis(300);
  public static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

  public final TokenService tokens = new TokenService(SECRET, CLOCK);
  public final InMemoryPresence presence = new InMemoryPresence();
  public final ScriptedForwarder forwarder = new ScriptedForwarder();
  public final RecordingKicker kicker = new RecordingKicker();
  public final RecordingPublisher publisher = new RecordingPublisher();
  public final ScriptedSyncStore syncStore = new ScriptedSyncStore();
  public final SessionTable sessions = new SessionTable();
  public final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Short, so that tests see cursor writes at once; they wait for them (Awaitility). */
  public static final Duration CURSOR_WRITE_INTERVAL = Duration.ofMillis(20);

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("harness-scheduler"));
  public final ClientSettings settings;
  private final ClientChannelInitializer initializer;
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  public ClientHarness() {
    this(1_000);
  }

  public ClientHarness(int maxQueuedChats) {
    settings =
        new ClientSettings(
            CONNECTOR_ID,
            65_536,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofSeconds(90),
            maxQueuedChats,
            SYNC_WAIT);
    ConnectorMetrics metrics = new ConnectorMetrics(meters, sessions);
    ClientServices services =
        new ClientServices(
            new Authenticator(tokens, presence),
            sessions,
            new SessionRegistrar(CONNECTOR_ID, presence, kicker, publisher),
            forwarder,
            syncStore,
            new CursorWriter(syncStore, scheduler, CURSOR_WRITE_INTERVAL, metrics),
            metrics,
            CLOCK);
    initializer = new ClientChannelInitializer(settings, services);
  }

  public EmbeddedChannel connect() {
    EmbeddedChannel channel = new EmbeddedChannel();
    initializer.configure(channel.pipeline());
    channels.add(channel);
    return channel;
  }

  public String token(long userId, String deviceId) {
    return tokens.issue(userId, deviceId, Duration.ofHours(1)).token();
  }

  public static Frame login(long requestId, String token, String deviceId) {
    return Frame.newBuilder()
        .setRequestId(requestId)
        .setLoginReq(LoginReq.newBuilder().setToken(token).setDeviceId(deviceId))
        .build();
  }

  /**
   * A connection logged in as (user, device), its LoginResp and the first sync page (or whatever
   * the sync store answered at login) already read.
   */
  public EmbeddedChannel loggedIn(long userId, String deviceId) {
    EmbeddedChannel channel = connect();
    send(channel, login(1, token(userId, deviceId), deviceId));
    List<Frame> answer = read(channel);
    if (answer.isEmpty() || !answer.get(0).getLoginResp().getOk()) {
      throw new AssertionError("login failed: " + answer);
    }
    return channel;
  }

  public static void send(EmbeddedChannel channel, Frame... frames) {
    channel.writeInbound(Wire.buffer(Wire.bytes(frames)));
  }

  /** Everything the server wrote so far, after running pending tasks. */
  public static List<Frame> read(EmbeddedChannel channel) {
    channel.runPendingTasks();
    List<Frame> frames = new ArrayList<>();
    for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
      frames.addAll(Wire.parse((ByteBuf) out));
    }
    return frames;
  }

  @Override
  public void close() {
    for (EmbeddedChannel channel : channels) {
      channel.finishAndReleaseAll();
    }
    scheduler.shutdownNow();
  }
}
