package dev.switchboard.client;

import dev.switchboard.client.sync.SyncPolicy;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Settings of one {@link SwitchboardClient}. Build with {@link #builder()}; every setting has a
 * default.
 *
 * @param apiBaseUrl account-api root, used by {@link SwitchboardClient#loginAndConnect}; default
 *     {@code http://127.0.0.1:8080}
 * @param deviceId this device within the account (1..64 chars); must be the device id the session
 *     was created with at REST login. Default {@code "sdk-" + 8 random hex digits}
 * @param connectTimeout TCP connect to the connector; default 5s
 * @param requestTimeout how long a send waits for SENT, and the login for LoginResp; default 10s
 * @param maxFrameBytes largest frame accepted from the server; default 1 MiB, larger than the
 *     server's 64 KiB inbound limit because server answers (sync pages) carry many messages
 * @param reorderHoldBack how long a message after a seq gap (or in a conversation whose start this
 *     session does not know yet) waits before it is shown anyway; default 30s. Not the normal path:
 *     every allocated seq reaches the device (the client syncs until it does, usually within
 *     milliseconds, or a few seconds after a server instance died), so this is a safety net for a
 *     seq the server lost. Lower it only if showing out of order beats waiting
 * @param dedupCapacity how many recent message ids are remembered to drop redeliveries; default
 *     4096
 * @param eventLoopGroup shared Netty group (the client then never shuts it down); null: the client
 *     creates a one-thread group and closes it in {@link SwitchboardClient#close()}
 * @param callbackExecutor where listener calls and future completions run (one at a time, in order,
 *     per client); null: a dedicated daemon thread per client. Pass a shared pool when running many
 *     clients
 * @param listener receives messages, receipts, errors; default {@link ClientListener#NONE}
 * @param clientVersion sent in LoginReq for the server's logs
 * @param reconnect automatic reconnection after a dropped connection; default {@link
 *     ReconnectPolicy#defaults()} (on). {@link ReconnectPolicy#disabled()} for a connection that
 *     stays down
 * @param sync when the client pulls what it missed (idle sync, head retries, page size); default
 *     {@link SyncPolicy#defaults()}
 */
public record ClientConfig(
    URI apiBaseUrl,
    String deviceId,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxFrameBytes,
    Duration reorderHoldBack,
    int dedupCapacity,
    EventLoopGroup eventLoopGroup,
    Executor callbackExecutor,
    ClientListener listener,
    String clientVersion,
    ReconnectPolicy reconnect,
    SyncPolicy sync) {

  public static final URI DEFAULT_API_BASE_URL = URI.create("http://127.0.0.1:8080");
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_REORDER_HOLD_BACK = Duration.ofSeconds(30);
  public static final int DEFAULT_DEDUP_CAPACITY = 4096;
  public static final String DEFAULT_CLIENT_VERSION = "switchboard-java/0.1.0";

  public ClientConfig {
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    Objects.requireNonNull(deviceId, "deviceId");
    if (deviceId.isEmpty() || deviceId.length() > 64) {
      throw new IllegalArgumentException("deviceId must be 1..64 characters: '" + deviceId + "'");
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(requestTimeout, "requestTimeout");
    if (maxFrameBytes < 16) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 16, got " + maxFrameBytes);
    }
    Objects.requireNonNull(reorderHoldBack, "reorderHoldBack");
    if (reorderHoldBack.isNegative()) {
      throw new IllegalArgumentException("reorderHoldBack must not be negative");
    }
    if (dedupCapacity < 1) {
      throw new IllegalArgumentException("dedupCapacity must be >= 1, got " + dedupCapacity);
    }
    listener = listener == null ? ClientListener.NONE : listener;
    clientVersion = clientVersion == null ? DEFAULT_CLIENT_VERSION : clientVersion;
    reconnect = reconnect == null ? ReconnectPolicy.defaults() : reconnect;
    sync = sync == null ? SyncPolicy.defaults() : sync;
  }

  /** How long the client waits without any message before it syncs; zero = never. */
  public Duration idleSyncInterval() {
    return sync.idleInterval();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All defaults (random device id, no listener). */
  public static ClientConfig defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    return new Builder()
        .apiBaseUrl(apiBaseUrl)
        .deviceId(deviceId)
        .connectTimeout(connectTimeout)
        .requestTimeout(requestTimeout)
        .maxFrameBytes(maxFrameBytes)
        .reorderHoldBack(reorderHoldBack)
        .dedupCapacity(dedupCapacity)
        .eventLoopGroup(eventLoopGroup)
        .callbackExecutor(callbackExecutor)
        .listener(listener)
        .clientVersion(clientVersion)
        .reconnect(reconnect)
        .sync(sync);
  }

  /** A copy with another listener. */
  public ClientConfig withListener(ClientListener listener) {
    return toBuilder().listener(listener).build();
  }

  /** A copy with another device id. */
  public ClientConfig withDeviceId(String deviceId) {
    return toBuilder().deviceId(deviceId).build();
  }

  /** {@code "sdk-" + 8 random hex digits}. */
  public static String randomDeviceId(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private URI apiBaseUrl = DEFAULT_API_BASE_URL;
    private String deviceId;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    private Duration reorderHoldBack = DEFAULT_REORDER_HOLD_BACK;
    private int dedupCapacity = DEFAULT_DEDUP_CAPACITY;
    private EventLoopGroup eventLoopGroup;
    private Executor callbackExecutor;
    private ClientListener listener = ClientListener.NONE;
    private String clientVersion = DEFAULT_CLIENT_VERSION;
    private ReconnectPolicy reconnect = ReconnectPolicy.defaults();
    private SyncPolicy sync = SyncPolicy.defaults();

    private Builder() {}

    public Builder apiBaseUrl(URI apiBaseUrl) {
      this.apiBaseUrl = apiBaseUrl;
      return this;
    }

    public Builder apiBaseUrl(String apiBaseUrl) {
      return apiBaseUrl(URI.create(apiBaseUrl));
    }

    public Builder deviceId(String deviceId) {
      this.deviceId = deviceId;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder maxFrameBytes(int maxFrameBytes) {
      this.maxFrameBytes = maxFrameBytes;
      return this;
    }

    public Builder reorderHoldBack(Duration reorderHoldBack) {
      this.reorderHoldBack = reorderHoldBack;
      return this;
    }

    public Builder dedupCapacity(int dedupCapacity) {
      this.dedupCapacity = dedupCapacity;
      return this;
    }

    public Builder eventLoopGroup(EventLoopGroup eventLoopGroup) {
      this.eventLoopGroup = eventLoopGroup;
      return this;
    }

    public Builder callbackExecutor(Executor callbackExecutor) {
      this.callbackExecutor = callbackExecutor;
      return this;
    }

    public Builder listener(ClientListener listener) {
      this.listener = listener;
      return this;
    }

    public Builder clientVersion(String clientVersion) {
      this.clientVersion = clientVersion;
      return this;
    }

    public Builder reconnect(ReconnectPolicy reconnect) {
      this.reconnect = reconnect;
      return this;
    }

    /** Turns automatic reconnection on or off, keeping the other reconnect settings. */
    public Builder reconnectEnabled(boolean enabled) {
      ReconnectPolicy r = reconnect == null ? ReconnectPolicy.defaults() : reconnect;
      this.reconnect =
          new ReconnectPolicy(enabled, r.baseDelay(), r.maxDelay(), r.maxAttempts(), r.random());
      return this;
    }

    public Builder sync(SyncPolicy sync) {
      this.sync = sync;
      return this;
    }

    /** Sync after this long without any message; {@link Duration#ZERO} turns it off. */
    public Builder idleSyncInterval(Duration idleSyncInterval) {
      this.sync = (sync == null ? SyncPolicy.defaults() : sync).withIdleInterval(idleSyncInterval);
      return this;
    }

    public ClientConfig build() {
      return new ClientConfig(
          apiBaseUrl,
          deviceId == null ? randomDeviceId("sdk-") : deviceId,
          connectTimeout,
          requestTimeout,
          maxFrameBytes,
          reorderHoldBack,
          dedupCapacity,
          eventLoopGroup,
          callbackExecutor,
          listener,
          clientVersion,
          reconnect,
          sync);
    }
  }
}
