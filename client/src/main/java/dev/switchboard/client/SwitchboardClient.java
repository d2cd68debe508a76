package dev.switchboard.client;

import dev.switchboard.client.inbound.GapListener;
import dev.switchboard.client.inbound.InboundSequencer;
import dev.switchboard.client.inbound.RecentIds;
import dev.switchboard.client.net.NettyTransport;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.client.retry.TaskScheduler;
import dev.switchboard.client.sync.SyncDriver;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.AckedMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationHead;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.SyncReq;
import dev.switchboard.proto.SyncResp;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Switchboard client session: connects to a connector with a token from account-api, sends
 * messages (futures complete on SENT), acknowledges what it receives (DELIVERED automatically, READ
 * via {@link #markRead}), and hands the application each message once and in seq order through its
 * {@link ClientListener}.
 *
 * <p>Non-blocking: every operation returns at once; results arrive through futures and the
 * listener, both on the client's callback executor (see {@link ClientListener} for the threading
 * rules). Do not wait for a future of a client inside one of its own callbacks when the callback
 * executor is the default single thread.
 *
 * <p>Durable delivery: after login the connector sends what this device missed (sync pages); the
 * client pulls further pages, syncs again on a seq gap, when a conversation head shows messages it
 * does not hold yet, and after {@link ClientConfig#idleSyncInterval()} of silence. Every message,
 * pushed or synced, goes through the same dedup and per-conversation ordering, and every DELIVERED
 * receipt carries this device's gap-free watermark in the conversation, which the server turns into
 * the device's sync cursor. A dropped connection comes back by itself ({@link ReconnectPolicy});
 * {@link ClientListener#onReconnected} tells when.
 *
 * <p>Threading inside: the client is pinned to one event loop of its group; all of its mutable
 * state (connection, pending sends, dedup/reorder, sync, reconnect) is confined to that loop, so
 * thousands of clients can share a small group without locks.
 *
 * <pre>{@code
 * try (var client = new SwitchboardClient(ClientConfig.builder().listener(myListener).build())) {
 *   client.loginAndConnect("alice", "secret-pw").get(10, SECONDS);
 *   AckMsg sent = client.sendText(bobId, "hello").get(10, SECONDS); // SENT: id + seq
 * }
 * }</pre>
 */
public final class SwitchboardClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SwitchboardClient.class);

  /**
   * How long a watermark that rose without a new message (an own SENT filled a hole, a sync page
   * told the base) waits before a DELIVERED re-acknowledgement reports it; a message arriving
   * meanwhile carries it for free.
   */
  static final Duration CLAIM_CHECK_DELAY = Duration.ofMillis(200);

  /** Messages one DELIVERED acknowledges besides its own (transfer refuses more). */
  static final int MAX_ALSO_ACKED = 256;

  private final ClientConfig config;
  private final ClientListener listener;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelClass;
  private final SerialExecutor callbacks;
  private final ExecutorService ownCallbackThread;
  private final AtomicLong requestIds = new AtomicLong();
  private final Object apiLock = new Object();
  private final ConnectionEvents connectionEvents = new ConnectionEvents();
  private AccountApi api; // guarded by apiLock; created on first use unless given

  // Confined to `loop`.
  private final InboundSequencer sequencer;
  private final RecentIds seenReceipts;
  private final Set<String> seenReceiptFacts;
  private final PendingSends pending;
  private final SyncDriver sync;
  private final Reconnector reconnector;
  private final Map<String, Claim> claims = new HashMap<>();
  private final Set<String> claimsToCheck = new LinkedHashSet<>();
  // Peers' messages to acknowledge at the next flushDelivered, by conversation and sender.
  private final Map<Peer, List<ChatMsg>> unacknowledged = new LinkedHashMap<>();
  private final Runnable flushDeliveredTask = this::flushDelivered;
  private boolean deliveredFlushQueued;
  private Connection connection;
  private boolean connectionIsReconnect; // `connection` is an automatic reconnect attempt
  private KickReason kickReason; // of `connection`, if the server kicked it
  private CompletableFuture<LoginResp> loginResult;
  private ScheduledFuture<?> releaseTimer;
  private long releaseTimerAtMillis;
  private ScheduledFuture<?> claimTimer;

  // Read from any thread.
  private volatile boolean closed;
  private volatile boolean connected;
  private volatile long userId;
  private volatile LoginSession session;
  private volatile String connectorId;
  private volatile Credentials credentials; // for a REST login when reconnecting; may be null

  /** What a REST login needs; kept only for reconnecting. */
  private record Credentials(String username, String password) {
    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=***]";
    }
  }

  /** Whose messages in which conversation one DELIVERED may acknowledge together. */
  private record Peer(String conversationId, long userId) {}

  /** The last DELIVERED sent in a conversation: what it claimed, and a receipt to repeat. */
  private static final class Claim {
    long claimed;
    AckMsg delivered;
  }

  public SwitchboardClient(ClientConfig config) {
    this(config, null);
  }

  /**
   * @param api account-api client to use for {@link #loginAndConnect} (shared by many clients in a
   *     benchmark); null: one is created from {@link ClientConfig#apiBaseUrl()} when first needed
   */
  public SwitchboardClient(ClientConfig config, AccountApi api) {
    this.config = Objects.requireNonNull(config, "config");
    this.listener = config.listener();
    this.api = api;
    if (config.eventLoopGroup() != null) {
      this.group = config.eventLoopGroup();
      this.ownsGroup = false;
    } else {
      this.group = NettyTransport.newEventLoopGroup(1, "switchboard-client-io");
      this.ownsGroup = true;
    }
    this.loop = group.next();
    this.channelClass = NettyTransport.socketChannelFor(group);
    if (config.callbackExecutor() != null) {
      this.ownCallbackThread = null;
      this.callbacks = new SerialExecutor(config.callbackExecutor());
    } else {
      this.ownCallbackThread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "switchboard-client-callbacks-" + config.deviceId());
                t.setDaemon(true);
                return t;
              });
      this.callbacks = new SerialExecutor(ownCallbackThread);
    }
    this.sequencer =
        new InboundSequencer(
            config.reorderHoldBack(),
            config.dedupCapacity(),
            InstantSource.system(),
            new SyncOnGap());
    this.seenReceipts = new RecentIds(config.dedupCapacity());
    this.seenReceiptFacts = boundedSet(config.dedupCapacity());
    this.pending = new PendingSends(loop, config.requestTimeout(), this::complete, this::fail);
    TaskScheduler scheduler = TaskScheduler.on(loop);
    this.sync =
        new SyncDriver(
            config.sync(),
            config.requestTimeout(),
            scheduler,
            InstantSource.system(),
            requestIds::incrementAndGet,
            sequencer::deliveredThrough,
            this::writeSyncReq,
            new SyncDriver.PassListener() {
              @Override
              public void passStarted() {
                sequencer.syncPassStarted();
              }

              @Override
              public void passCompleted() {
                surface(sequencer.syncPassCompleted());
              }
            });
    this.reconnector = new Reconnector(config.reconnect(), scheduler, loop, new ReconnectTarget());
  }

  /**
   * A new event loop group for sharing between many clients via {@link
   * ClientConfig.Builder#eventLoopGroup}: epoll when available, NIO otherwise, daemon threads. The
   * caller shuts it down after closing the clients.
   */
  public static EventLoopGroup newEventLoopGroup(int threads) {
    return NettyTransport.newEventLoopGroup(threads, "switchboard-client-io");
  }

  // ---- connecting ------------------------------------------------------------------------------

  /**
   * Connects to {@code session.connector()} and logs in with {@code session.token()} and {@link
   * ClientConfig#deviceId()} (which must be the device id of the REST login). Completes with the
   * successful LoginResp; fails with {@link ServerErrorException} if the server refuses the login,
   * {@link java.net.ConnectException} if the connector cannot be reached, {@link TimeoutException}
   * if no answer comes within the request timeout, {@link IllegalStateException} if the client is
   * closed or already connected/connecting. A failed first connect is not retried.
   *
   * <p>Once connected, a dropped connection is reconnected automatically ({@link
   * ClientConfig#reconnect()}); with only a session, that can only be to this session's connector
   * and token. An explicit connect while the client waits to reconnect takes over from it.
   */
  public CompletableFuture<LoginResp> connect(LoginSession session) {
    Objects.requireNonNull(session, "session");
    return connect(session, (Credentials) null);
  }

  /**
   * Like {@link #connect(LoginSession)}, and remembers the credentials the session was created
   * with, so that an automatic reconnect can log in again over REST when the session's connector is
   * gone or its token is no longer accepted (kept in memory only, for this purpose).
   */
  public CompletableFuture<LoginResp> connect(
      LoginSession session, String username, String password) {
    Objects.requireNonNull(session, "session");
    return connect(
        session,
        new Credentials(
            Objects.requireNonNull(username, "username"),
            Objects.requireNonNull(password, "password")));
  }

  private CompletableFuture<LoginResp> connect(LoginSession session, Credentials credentials) {
    CompletableFuture<LoginResp> result = new CompletableFuture<>();
    onLoop(
        result,
        () -> {
          if (closed) {
            fail(result, new IllegalStateException("client is closed"));
            return;
          }
          if (connection != null) {
            fail(result, new IllegalStateException("already connected or connecting"));
            return;
          }
          reconnector.stop(); // the application's own connect replaces automatic attempts
          this.credentials = credentials;
          this.loginResult = result;
          open(session, false);
        });
    return result;
  }

  /**
   * Logs in over REST ({@link ClientConfig#apiBaseUrl()}, device {@link ClientConfig#deviceId()})
   * and then {@link #connect}s, keeping the credentials for reconnecting (see {@link
   * #connect(LoginSession, String, String)}). REST failures arrive as {@link
   * dev.switchboard.client.rest.ApiException} or {@link
   * dev.switchboard.client.rest.ApiUnreachableException}.
   */
  public CompletableFuture<LoginResp> loginAndConnect(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    return accountApi()
        .loginAsync(username, password, config.deviceId())
        .thenCompose(s -> connect(s, new Credentials(username, password)));
  }

  /** Opens a connection to the session's connector (event loop). */
  private void open(LoginSession session, boolean isReconnect) {
    this.session = session;
    this.userId = session.userId();
    this.connectionIsReconnect = isReconnect;
    this.kickReason = null;
    connection =
        new Connection(
            connectionEvents,
            loop,
            session,
            config.deviceId(),
            config.clientVersion(),
            requestIds.incrementAndGet(),
            config.requestTimeout());
    connection.open(channelClass, config.connectTimeout(), config.maxFrameBytes());
  }

  /** The account-api client this client uses (created from the config on first use). */
  public AccountApi accountApi() {
    synchronized (apiLock) {
      if (api == null) {
        api = new AccountApi(config.apiBaseUrl(), config.requestTimeout());
      }
      return api;
    }
  }

  // ---- sending ---------------------------------------------------------------------------------

  /** Sends a text message to a user (new client_msg_id); see {@link #send}. */
  public CompletableFuture<AckMsg> sendText(long destUserId, String text) {
    return send(
        ChatMsg.newBuilder()
            .setDestId(destUserId)
            .setConversationType(ConversationType.SINGLE)
            .setContentType(ContentType.TEXT)
            .setMsgBody(text)
            .build());
  }

  /**
   * Sends {@code draft} as is, with its client_msg_id or a new UUID if it has none; resending the
   * same client_msg_id (e.g. after a timeout) never creates a second message. Completes with the
   * SENT AckMsg (message id in {@code ack_msg_id}, {@code seq}, {@code conversation_id}); fails
   * with {@link ServerErrorException} when the server refuses it (e.g. UNKNOWN_DESTINATION), {@link
   * TimeoutException} after {@link ClientConfig#requestTimeout()}, {@link
   * ConnectionClosedException} when not connected or the connection ends first.
   */
  public CompletableFuture<AckMsg> send(ChatMsg draft) {
    Objects.requireNonNull(draft, "draft");
    ChatMsg msg =
        draft.getClientMsgId().isEmpty()
            ? draft.toBuilder().setClientMsgId(UUID.randomUUID().toString()).build()
            : draft;
    CompletableFuture<AckMsg> result = new CompletableFuture<>();
    onLoop(result, () -> sendOnLoop(msg, result));
    return result;
  }

  /**
   * Tells the peer of a single conversation that everything up to {@code seq} was read. Fire and
   * forget: dropped (logged at DEBUG) if the connection is gone by the time it is written.
   *
   * @throws IllegalArgumentException if {@code conversationId} is not a single conversation of this
   *     user
   * @throws IllegalStateException if the client never logged in
   */
  public void markRead(String conversationId, long seq) {
    long peer = ConversationIds.peerOf(conversationId, userId());
    loop.execute(
        () -> {
          if (!isReady()) {
            log.debug("READ {}#{} dropped: not connected", conversationId, seq);
            return;
          }
          AckMsg.Builder read =
              AckMsg.newBuilder()
                  .setMsgType(MsgType.READ)
                  .setDestId(peer)
                  .setConversationId(conversationId)
                  .setSeq(seq);
          OptionalLong id = sequencer.messageIdAt(conversationId, seq);
          if (id.isPresent()) {
            read.setAckMsgId(id.getAsLong());
          }
          connection.write(Frame.newBuilder().setAckMsg(read).build());
        });
  }

  // ---- state -----------------------------------------------------------------------------------

  /**
   * The logged-in user's id (known from {@link #connect} on).
   *
   * @throws IllegalStateException before the first connect
   */
  public long userId() {
    long id = userId;
    if (id == 0) {
      throw new IllegalStateException("not logged in yet");
    }
    return id;
  }

  /** True between a successful login and the end of that connection. */
  public boolean isConnected() {
    return connected;
  }

  /**
   * True while the client brings a dropped connection back by itself (from the {@link
   * ClientListener#onDisconnected} that started it until {@link ClientListener#onReconnected} or
   * {@link ClientListener#onReconnectFailed}).
   */
  public boolean isReconnecting() {
    return reconnector.active();
  }

  /**
   * The session of the last {@link #connect}, or of the last REST login a reconnect made, if any
   * (its token works for REST calls).
   */
  public Optional<LoginSession> session() {
    return Optional.ofNullable(session);
  }

  /** The connector id the server reported at login (or the session's), null before. */
  public String connectorId() {
    return connectorId;
  }

  public String deviceId() {
    return config.deviceId();
  }

  public ClientConfig config() {
    return config;
  }

  /**
   * Stops reconnecting, closes the connection (pending sends fail with {@link
   * ConnectionClosedException}, the listener hears {@code onDisconnected(null)} if a connection was
   * up), then the event loop group if the client created it and its own callback thread once the
   * queued callbacks ran. Idempotent; waits a bounded time.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(
          () -> {
            reconnector.stop();
            cancel(claimTimer);
            if (connection != null) {
              connection.close(); // onClosed / onLoginFailed follow on this loop
            }
            loop.execute(() -> done.complete(null));
          });
      if (!loop.inEventLoop()) {
        done.get(5, TimeUnit.SECONDS);
      }
    } catch (RejectedExecutionException e) {
      log.debug("event loop already shut down", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("closing the connection did not finish in time", e);
    }
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
    if (ownCallbackThread != null) {
      ownCallbackThread.shutdown(); // queued callbacks (onDisconnected) still run
    }
  }

  // ---- connection events (event loop) -----------------------------------------------------------

  /** Keeps the {@link Connection.Owner} callbacks out of the public API. */
  private final class ConnectionEvents implements Connection.Owner {
    @Override
    public void onLoggedIn(Connection connection, LoginResp resp) {
      SwitchboardClient.this.onLoggedIn(connection, resp);
    }

    @Override
    public void onLoginFailed(Connection connection, Throwable cause) {
      SwitchboardClient.this.onLoginFailed(connection, cause);
    }

    @Override
    public void onFrame(Connection connection, Frame frame) {
      SwitchboardClient.this.onFrame(connection, frame);
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
      SwitchboardClient.this.onClosed(connection, cause);
    }
  }

  private void onLoggedIn(Connection c, LoginResp resp) {
    if (c != connection) {
      return;
    }
    if (resp.getUserId() != 0) {
      userId = resp.getUserId();
    }
    connectorId =
        resp.getConnectorId().isEmpty() ? session.connector().id() : resp.getConnectorId();
    connected = true;
    log.debug("user {} logged in on connector {} as device {}", userId, connectorId, deviceId());
    if (closed) {
      c.close();
    } else {
      sync.onConnected(); // the connector's first sync page is on its way
    }
    if (connectionIsReconnect) {
      connectionIsReconnect = false;
      reconnector.onConnected();
      log.info("user {} device {} reconnected to {}", userId, deviceId(), connectorId);
      dispatch(() -> listener.onReconnected(resp));
      return;
    }
    CompletableFuture<LoginResp> result = loginResult;
    loginResult = null;
    complete(result, resp);
  }

  private void onLoginFailed(Connection c, Throwable cause) {
    if (c != connection) {
      return;
    }
    connection = null;
    log.debug("login of device {} failed: {}", deviceId(), cause.toString());
    if (connectionIsReconnect) {
      connectionIsReconnect = false;
      if (closed) {
        reconnector.stop();
      } else {
        reconnector.onAttemptFailed(cause);
      }
      return;
    }
    CompletableFuture<LoginResp> result = loginResult;
    loginResult = null;
    if (result != null) {
      fail(result, cause);
    }
  }

  private void onClosed(Connection c, Throwable cause) {
    if (c != connection) {
      return;
    }
    connection = null;
    connected = false;
    sync.onDisconnected();
    log.debug("user {} device {} disconnected: {}", userId, deviceId(), String.valueOf(cause));
    pending.failAll(
        cause == null
            ? new ConnectionClosedException("client closed")
            : new ConnectionClosedException("connection ended: " + cause.getMessage(), cause));
    KickReason kick = kickReason;
    if (cause != null && !closed && config.reconnect().enabled() && !endsSession(kick)) {
      log.info(
          "user {} device {} lost its connection to {}: {}; reconnecting",
          userId,
          deviceId(),
          connectorId,
          cause.getMessage());
      // Before the callback, so that isReconnecting() already tells inside onDisconnected.
      reconnector.start(session, kick == KickReason.SERVER_SHUTDOWN);
    }
    dispatch(() -> listener.onDisconnected(cause));
  }

  /** Kicks after which coming back would be wrong: someone or something ended this session. */
  private static boolean endsSession(KickReason reason) {
    return reason == KickReason.LOGGED_IN_ELSEWHERE
        || reason == KickReason.LOGGED_OUT
        || reason == KickReason.TOKEN_REVOKED;
  }

  private void onFrame(Connection c, Frame frame) {
    if (c != connection) {
      return;
    }
    switch (frame.getBodyCase()) {
      case CHAT_MSG -> {
        sync.onActivity();
        onChat(frame.getChatMsg());
      }
      case ACK_MSG -> {
        sync.onActivity();
        onAck(frame.getRequestId(), frame.getAckMsg());
      }
      case ERROR -> onError(frame.getRequestId(), frame.getError());
      case KICK -> {
        kickReason = frame.getKick().getReason();
        dispatch(() -> listener.onKicked(frame.getKick()));
      }
      case NOTICE -> {
        sync.onActivity();
        dispatch(() -> listener.onNotice(frame.getNotice()));
      }
      case SYNC_RESP -> onSyncResp(frame.getRequestId(), frame.getSyncResp());
      default -> log.debug("frame {} ignored", frame.getBodyCase());
    }
  }

  // ---- inbound ---------------------------------------------------------------------------------

  private void onChat(ChatMsg msg) {
    // Accepted first, so that the watermark the DELIVERED carries counts this message.
    InboundSequencer.Outcome outcome = sequencer.accept(msg);
    if (msg.getFromId() != userId) {
      acknowledge(msg); // duplicates too: our first DELIVERED may be the one that got lost
    }
    switch (outcome.status()) {
      case DUPLICATE -> log.debug("duplicate message {} acknowledged again", msg.getId());
      case HELD -> armReleaseTimer();
      case SURFACED -> surface(outcome.surfaced());
    }
  }

  private void onAck(long requestId, AckMsg ack) {
    if (ack.getMsgType() == MsgType.SENT) {
      onSent(requestId, ack);
      return;
    }
    if (!seenReceipts.add(ack.getId())) {
      log.debug("duplicate receipt {} ignored", ack.getId());
      return;
    }
    if (ack.getAlsoAckedCount() == 0) {
      report(ack);
      return;
    }
    // One receipt for several messages: the application hears of each message on its own.
    AckMsg.Builder each = ack.toBuilder().clearAlsoAcked();
    report(each.build());
    for (AckedMsg acked : ack.getAlsoAckedList()) {
      report(
          each.setAckMsgId(acked.getMsgId())
              .setClientMsgId(acked.getClientMsgId())
              .setSeq(acked.getSeq())
              .build());
    }
  }

  private void report(AckMsg receipt) {
    if (!seenReceiptFacts.add(receiptFact(receipt))) {
      // The same fact again: a peer device repeating its DELIVERED to carry a newer watermark, or
      // a receipt stored twice. The application hears each fact once.
      log.debug("receipt {} repeats a known fact; ignored", receipt.getId());
      return;
    }
    dispatch(() -> listener.onReceipt(receipt));
  }

  /** What a receipt tells, independent of its id: who received or read what. */
  private static String receiptFact(AckMsg ack) {
    return ack.getMsgType() == MsgType.READ
        ? "R:" + ack.getFromId() + ":" + ack.getConversationId() + ":" + ack.getSeq()
        : "D:" + ack.getFromId() + ":" + ack.getAckMsgId();
  }

  private void onSent(long requestId, AckMsg ack) {
    // Our own message occupies that seq: without this the peer's next one would look like a gap.
    boolean sequenced = !ack.getConversationId().isEmpty() && ack.getSeq() > 0;
    List<ChatMsg> unblocked =
        sequenced
            ? sequencer.acceptOwn(ack.getConversationId(), ack.getSeq(), ack.getAckMsgId())
            : List.of();
    if (sequenced) {
      checkClaimSoon(ack.getConversationId()); // it may have closed a hole below a peer's message
    }
    // Completed before the messages it may have unblocked are surfaced.
    if (!pending.complete(ack, requestId)) {
      log.debug("SENT for {} without a pending send (timed out?)", ack.getClientMsgId());
    }
    surface(unblocked);
    armReleaseTimer(); // an own message of a conversation whose start is unknown waits too
  }

  private void onError(long requestId, Error error) {
    long refused = error.getRequestId() != 0 ? error.getRequestId() : requestId;
    if (sync.onError(refused, error.getCode())) {
      log.debug("sync request {} refused: {} {}", refused, error.getCode(), error.getMessage());
      return;
    }
    boolean forASend =
        pending.fail(
            error.getClientMsgId(),
            error.getRequestId(),
            new ServerErrorException(error.getCode(), error.getMessage()));
    if (!forASend) {
      dispatch(() -> listener.onError(error));
    }
  }

  /**
   * Messages and receipts in a sync page are handled exactly like pushed ones (dedup, order,
   * DELIVERED; receipts once each). The heads go first: they tell where this device's cursor is,
   * which is where the page's messages continue. Then the driver asks for the next page or ends the
   * pass.
   */
  private void onSyncResp(long requestId, SyncResp resp) {
    for (ConversationHead head : resp.getHeadsList()) {
      surface(sequencer.noteDelivered(head.getConversationId(), head.getDeliveredSeq()));
    }
    for (ChatMsg m : resp.getMessagesList()) {
      onChat(m);
    }
    for (AckMsg a : resp.getAcksList()) {
      onAck(0, a);
    }
    // The page's receipts before the request for the next page, and before the claims are checked.
    flushDelivered();
    for (ConversationHead head : resp.getHeadsList()) {
      checkClaimSoon(head.getConversationId());
    }
    sync.onPage(requestId, resp);
    armReleaseTimer();
  }

  // ---- delivery watermark ---------------------------------------------------------------------

  /**
   * DELIVERED for a peer's message, carrying this device's watermark in the conversation: written
   * with the other messages of the conversation handled in the same turn of the event loop (see
   * {@link #flushDelivered}).
   */
  private void acknowledge(ChatMsg msg) {
    unacknowledged
        .computeIfAbsent(
            new Peer(msg.getConversationId(), msg.getFromId()), k -> new ArrayList<>(4))
        .add(msg);
    if (!deliveredFlushQueued) {
      deliveredFlushQueued = true;
      loop.execute(flushDeliveredTask);
    }
  }

  /**
   * One DELIVERED per conversation and peer for the messages acknowledged since the last flush
   * ({@code also_acked} names the rest), instead of one per message: a sync page of 500 messages
   * from a few peers costs a few receipts through the whole system, not 500. Queued on the event
   * loop behind the frames of the read being handled, so it takes all of a read's or a page's
   * messages and adds no wait.
   */
  private void flushDelivered() {
    deliveredFlushQueued = false;
    if (unacknowledged.isEmpty()) {
      return;
    }
    List<List<ChatMsg>> groups = new ArrayList<>(unacknowledged.values());
    unacknowledged.clear();
    int perReceipt = MAX_ALSO_ACKED + 1;
    for (List<ChatMsg> msgs : groups) {
      for (int from = 0; from < msgs.size(); from += perReceipt) {
        acknowledgeTogether(msgs.subList(from, Math.min(msgs.size(), from + perReceipt)));
      }
    }
  }

  /** Messages of one conversation and sender; the receipt names the highest seq as its own. */
  private void acknowledgeTogether(List<ChatMsg> msgs) {
    ChatMsg head = msgs.get(0);
    for (ChatMsg m : msgs) {
      if (m.getSeq() > head.getSeq()) {
        head = m;
      }
    }
    String conv = head.getConversationId();
    AckMsg single =
        AckMsg.newBuilder()
            .setMsgType(MsgType.DELIVERED)
            .setDestId(head.getFromId())
            .setAckMsgId(head.getId())
            .setConversationId(conv)
            .setSeq(head.getSeq())
            .setClientMsgId(head.getClientMsgId())
            .build();
    AckMsg delivered = single;
    if (msgs.size() > 1) {
      AckMsg.Builder together = single.toBuilder();
      for (ChatMsg m : msgs) {
        if (m.getId() != head.getId()) {
          together.addAlsoAcked(
              AckedMsg.newBuilder()
                  .setMsgId(m.getId())
                  .setClientMsgId(m.getClientMsgId())
                  .setSeq(m.getSeq()));
        }
      }
      delivered = together.build();
    }
    long through = conv.isEmpty() ? 0 : sequencer.deliveredThrough(conv);
    writeDelivered(delivered, through);
    if (!conv.isEmpty() && head.getSeq() > 0) {
      Claim claim = claims.computeIfAbsent(conv, k -> new Claim());
      if (claim.delivered == null || claim.delivered.getSeq() <= head.getSeq()) {
        claim.delivered = single; // a repeat carries a newer watermark, not the same messages
      }
      claim.claimed = Math.max(claim.claimed, through);
    }
  }

  private void writeDelivered(AckMsg delivered, long through) {
    if (connection == null) {
      return;
    }
    AckMsg ack =
        through > 0 ? delivered.toBuilder().setDeliveredThroughSeq(through).build() : delivered;
    connection.write(Frame.newBuilder().setAckMsg(ack).build());
  }

  /**
   * The conversation's watermark may have risen without a message to carry it (an own SENT filled
   * the hole below a peer's message; a sync page told where the device's cursor is): unless a
   * DELIVERED carries it meanwhile, repeat the conversation's last DELIVERED with it, so that the
   * server's cursor (and the next sync) does not lag behind what this device holds.
   */
  private void checkClaimSoon(String conversationId) {
    if (!claims.containsKey(conversationId)) {
      return; // no DELIVERED sent yet: nothing to repeat, the next message carries the claim
    }
    claimsToCheck.add(conversationId);
    if (claimTimer == null) {
      claimTimer =
          loop.schedule(this::checkClaims, CLAIM_CHECK_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void checkClaims() {
    claimTimer = null;
    if (!isReady()) {
      claimsToCheck.clear(); // after a reconnect the sync's DELIVERED carry the watermarks
      return;
    }
    for (String conv : claimsToCheck) {
      Claim claim = claims.get(conv);
      long through = sequencer.deliveredThrough(conv);
      if (claim != null && claim.delivered != null && through > claim.claimed) {
        log.debug(
            "watermark of {} rose to {} without a message; acknowledging again", conv, through);
        writeDelivered(claim.delivered, through);
        claim.claimed = through;
      }
    }
    claimsToCheck.clear();
  }

  // ---- sync -----------------------------------------------------------------------------------

  /** The {@link SyncDriver}'s output: false when there is no logged-in connection. */
  private boolean writeSyncReq(long requestId, SyncReq req) {
    if (!isReady()) {
      return false;
    }
    connection.write(Frame.newBuilder().setRequestId(requestId).setSyncReq(req).build());
    return true;
  }

  private void surface(List<ChatMsg> messages) {
    for (ChatMsg m : messages) {
      dispatch(() -> listener.onMessage(m));
    }
  }

  /**
   * One timer for the sequencer's due work (nudges, give-ups), set for the earliest; moved earlier
   * when a newly waiting conversation is due before it.
   */
  private void armReleaseTimer() {
    OptionalLong next = sequencer.nextExpiryMillis();
    if (next.isEmpty()) {
      return;
    }
    if (releaseTimer != null && !releaseTimer.isDone()) {
      if (releaseTimerAtMillis <= next.getAsLong()) {
        return;
      }
      releaseTimer.cancel(false);
    }
    releaseTimerAtMillis = next.getAsLong();
    long delay = Math.max(1, next.getAsLong() - System.currentTimeMillis());
    releaseTimer =
        loop.schedule(
            () -> {
              releaseTimer = null;
              surface(sequencer.releaseExpired());
              armReleaseTimer();
            },
            delay,
            TimeUnit.MILLISECONDS);
  }

  // ---- sending (event loop) -------------------------------------------------------------------

  private void sendOnLoop(ChatMsg msg, CompletableFuture<AckMsg> result) {
    if (!isReady()) {
      fail(result, new ConnectionClosedException(closed ? "client is closed" : "not connected"));
      return;
    }
    String clientMsgId = msg.getClientMsgId();
    long requestId = requestIds.incrementAndGet();
    pending.add(clientMsgId, requestId, result);
    connection
        .write(Frame.newBuilder().setRequestId(requestId).setChatMsg(msg).build())
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                pending.fail(
                    clientMsgId,
                    requestId,
                    new ConnectionClosedException("could not write the message", f.cause()));
              }
            });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private boolean isReady() {
    return connection != null && connection.isReady();
  }

  /** Runs {@code task} on the loop, failing {@code result} if the loop is gone. */
  private void onLoop(CompletableFuture<?> result, Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new ConnectionClosedException("client is closed", e));
    }
  }

  /** Runs on the client's serial callback executor, never on the event loop. */
  private void dispatch(Runnable callback) {
    try {
      callbacks.execute(callback);
    } catch (RejectedExecutionException e) {
      log.debug("callback dropped: client closed", e);
    }
  }

  private <T> void complete(CompletableFuture<T> f, T value) {
    dispatchOrRun(() -> f.complete(value));
  }

  private void fail(CompletableFuture<?> f, Throwable cause) {
    dispatchOrRun(() -> f.completeExceptionally(cause));
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  /** Future completions must happen even after close (the callback thread may be gone). */
  private void dispatchOrRun(Runnable completion) {
    try {
      callbacks.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  /**
   * A gap (or a conversation's unknown start) is pulled with a sync pass rather than only waited
   * for; the sequencer asks again while it still waits.
   */
  private final class SyncOnGap implements GapListener {
    @Override
    public void onGapDetected(String conversationId, long fromSeq, long toSeq) {
      log.debug("user {}: gap {}..{} in {}, syncing", userId, fromSeq, toSeq, conversationId);
      sync.request("gap " + fromSeq + ".." + toSeq + " in " + conversationId);
    }

    @Override
    public void onGapSkipped(String conversationId, long fromSeq, long toSeq) {
      log.debug("user {}: gap {}..{} in {} skipped", userId, fromSeq, toSeq, conversationId);
    }

    @Override
    public void onBaselineUnknown(String conversationId, long seq) {
      // A sync page's head tells the device's cursor in the conversation.
      sync.request("start of " + conversationId + " unknown (first seq " + seq + ")");
    }
  }

  /** What an automatic reconnect attempt does with this client. */
  private final class ReconnectTarget implements Reconnector.Target {
    @Override
    public void open(LoginSession session) {
      if (closed || connection != null) {
        reconnector.stop();
        return;
      }
      SwitchboardClient.this.open(session, true);
    }

    @Override
    public boolean canLogIn() {
      return credentials != null;
    }

    @Override
    public CompletableFuture<LoginSession> logIn() {
      Credentials c = credentials;
      if (c == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("no credentials"));
      }
      return accountApi().loginAsync(c.username(), c.password(), config.deviceId());
    }

    @Override
    public void gaveUp(Throwable cause) {
      dispatch(() -> listener.onReconnectFailed(cause));
    }
  }

  /** A set that forgets its oldest entries beyond {@code capacity}; used on the loop only. */
  private static Set<String> boundedSet(int capacity) {
    return Collections.newSetFromMap(
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        });
  }
}
