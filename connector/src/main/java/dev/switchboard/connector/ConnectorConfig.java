package dev.switchboard.connector;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Everything a connector needs to run, validated once. Each component gets its part of it; nothing
 * reads the environment after {@link #fromEnv}.
 *
 * @param id this instance's id in ZooKeeper and in session routes (IM_CONNECTOR_ID)
 * @param host address the client and gRPC listeners bind to (IM_CONNECTOR_HOST)
 * @param clientPort client TCP port, 0 = any free port (IM_CONNECTOR_PORT)
 * @param grpcPort gRPC port for transfer and account-api, 0 = any free port
 *     (IM_CONNECTOR_GRPC_PORT)
 * @param advertiseHost the address other services and clients are told (IM_ADVERTISE_HOST)
 * @param metricsHost address of the Prometheus endpoint (IM_METRICS_HOST)
 * @param metricsPort port of the Prometheus endpoint, 0 = any free port (IM_METRICS_PORT)
 * @param zkConnect ZooKeeper connect string (IM_ZK_CONNECT)
 * @param zkConnectTimeout how long start() waits for ZooKeeper (IM_ZK_CONNECT_TIMEOUT)
 * @param jwtSecret the token signing secret as configured, "base64:..." or text (IM_JWT_SECRET)
 * @param maxFrameBytes largest accepted client frame (IM_MAX_FRAME_BYTES)
 * @param loginTimeout how long a new connection may take to send its LoginReq (IM_LOGIN_TIMEOUT)
 * @param heartbeatInterval how often clients are told to ping (IM_HEARTBEAT_INTERVAL)
 * @param idleTimeout a connection silent this long is closed (IM_IDLE_TIMEOUT)
 * @param routeRenewInterval how often all local routes are renewed in user-status, a third of its
 *     session TTL (IM_ROUTE_RENEW_INTERVAL)
 * @param rpcDeadline deadline of every outgoing gRPC call (IM_RPC_DEADLINE)
 * @param syncWait how long offline-store may wait for accepted but not yet stored messages before
 *     it answers a sync page (IM_SYNC_WAIT); shorter than the RPC deadline
 * @param cursorWriteInterval how long DELIVERED watermarks gather before they are written to
 *     offline-store in one call (IM_CURSOR_WRITE_INTERVAL); 0 = as soon as the previous call ended
 * @param maxQueuedChatsPerSession chat messages one session may have waiting for transfer
 *     (IM_MAX_QUEUED_CHATS)
 * @param shutdownTimeout bound on each graceful-stop step in close() (IM_SHUTDOWN_TIMEOUT)
 */
public record ConnectorConfig(
    String id,
    String host,
    int clientPort,
    int grpcPort,
    String advertiseHost,
    String metricsHost,
    int metricsPort,
    String zkConnect,
    Duration zkConnectTimeout,
    String jwtSecret,
    int maxFrameBytes,
    Duration loginTimeout,
    Duration heartbeatInterval,
    Duration idleTimeout,
    Duration routeRenewInterval,
    Duration rpcDeadline,
    Duration syncWait,
    Duration cursorWriteInterval,
    int maxQueuedChatsPerSession,
    Duration shutdownTimeout) {

  /** 64 KiB: the documented default maximum frame (protocol.md). */
  public static final int DEFAULT_MAX_FRAME_BYTES = 65_536;

  /** A LoginReq is one small frame; five seconds covers slow mobile networks. */
  public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(5);

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

  /** Three missed heartbeats. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);

  /** A third of user-status' default session TTL (90 s): two renewals may fail before expiry. */
  public static final Duration DEFAULT_ROUTE_RENEW_INTERVAL = Duration.ofSeconds(30);

  public static final Duration DEFAULT_RPC_DEADLINE = Duration.ofSeconds(10);

  /**
   * Long enough for offline-store to store a message accepted just before the sync (one consumer
   * batch), short enough not to delay the first page noticeably; offline-store caps it at 500 ms.
   */
  public static final Duration DEFAULT_SYNC_WAIT = Duration.ofMillis(300);

  /** Per-session chat queue; a client that far ahead of transfer is flooding. */
  public static final int DEFAULT_MAX_QUEUED_CHATS = 1_000;

  /**
   * Long enough that a device receiving many messages a second costs one cursor write per interval,
   * short enough that a reconnect seldom gets more than a handful of repeats.
   */
  public static final Duration DEFAULT_CURSOR_WRITE_INTERVAL = Duration.ofMillis(500);

  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  public static final Duration DEFAULT_ZK_CONNECT_TIMEOUT = Duration.ofSeconds(15);

  public ConnectorConfig {
    requireText("IM_CONNECTOR_ID", id);
    requireText("IM_CONNECTOR_HOST", host);
    requireText("IM_ADVERTISE_HOST", advertiseHost);
    requireText("IM_METRICS_HOST", metricsHost);
    requireText("IM_ZK_CONNECT", zkConnect);
    requirePort("IM_CONNECTOR_PORT", clientPort);
    requirePort("IM_CONNECTOR_GRPC_PORT", grpcPort);
    requirePort("IM_METRICS_PORT", metricsPort);
    if (clientPort != 0 && clientPort == grpcPort) {
      throw new ConfigException("IM_CONNECTOR_PORT and IM_CONNECTOR_GRPC_PORT must differ");
    }
    if (jwtSecret == null || TokenService.decodeSecret(jwtSecret).length < 32) {
      throw new ConfigException("IM_JWT_SECRET is required and must be at least 32 bytes");
    }
    if (maxFrameBytes < 64 || maxFrameBytes > 16 * 1024 * 1024) {
      throw new ConfigException("IM_MAX_FRAME_BYTES must be between 64 and 16777216");
    }
    requirePositive("IM_ZK_CONNECT_TIMEOUT", zkConnectTimeout);
    requirePositive("IM_LOGIN_TIMEOUT", loginTimeout);
    requirePositive("IM_HEARTBEAT_INTERVAL", heartbeatInterval);
    requirePositive("IM_IDLE_TIMEOUT", idleTimeout);
    requirePositive("IM_ROUTE_RENEW_INTERVAL", routeRenewInterval);
    requirePositive("IM_RPC_DEADLINE", rpcDeadline);
    requirePositive("IM_SHUTDOWN_TIMEOUT", shutdownTimeout);
    if (syncWait == null || syncWait.isNegative() || syncWait.compareTo(rpcDeadline) >= 0) {
      throw new ConfigException(
          "IM_SYNC_WAIT must be at least 0 and shorter than IM_RPC_DEADLINE, or every sync times"
              + " out");
    }
    if (cursorWriteInterval == null
        || cursorWriteInterval.isNegative()
        || cursorWriteInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ConfigException("IM_CURSOR_WRITE_INTERVAL must be between 0 and 1m");
    }
    if (heartbeatInterval.toSeconds() < 1) {
      throw new ConfigException("IM_HEARTBEAT_INTERVAL must be at least 1s");
    }
    if (idleTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new ConfigException(
          "IM_IDLE_TIMEOUT must be longer than IM_HEARTBEAT_INTERVAL, or every client is closed");
    }
    if (maxQueuedChatsPerSession < 1) {
      throw new ConfigException("IM_MAX_QUEUED_CHATS must be at least 1");
    }
  }

  public static ConnectorConfig fromEnv(Env env) {
    String host = env.get("IM_CONNECTOR_HOST", "127.0.0.1");
    return new ConnectorConfig(
        env.get("IM_CONNECTOR_ID").orElseGet(ConnectorConfig::generatedId),
        host,
        env.getInt("IM_CONNECTOR_PORT", 0),
        env.getInt("IM_CONNECTOR_GRPC_PORT", 0),
        env.get("IM_ADVERTISE_HOST", "127.0.0.1"),
        env.get("IM_METRICS_HOST", host),
        env.getInt("IM_METRICS_PORT", 0),
        env.require("IM_ZK_CONNECT"),
        env.getDuration("IM_ZK_CONNECT_TIMEOUT", DEFAULT_ZK_CONNECT_TIMEOUT),
        env.require("IM_JWT_SECRET"),
        env.getInt("IM_MAX_FRAME_BYTES", DEFAULT_MAX_FRAME_BYTES),
        env.getDuration("IM_LOGIN_TIMEOUT", DEFAULT_LOGIN_TIMEOUT),
        env.getDuration("IM_HEARTBEAT_INTERVAL", DEFAULT_HEARTBEAT_INTERVAL),
        env.getDuration("IM_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
        env.getDuration("IM_ROUTE_RENEW_INTERVAL", DEFAULT_ROUTE_RENEW_INTERVAL),
        env.getDuration("IM_RPC_DEADLINE", DEFAULT_RPC_DEADLINE),
        env.getDuration("IM_SYNC_WAIT", DEFAULT_SYNC_WAIT),
        env.getDuration("IM_CURSOR_WRITE_INTERVAL", DEFAULT_CURSOR_WRITE_INTERVAL),
        env.getInt("IM_MAX_QUEUED_CHATS", DEFAULT_MAX_QUEUED_CHATS),
        env.getDuration("IM_SHUTDOWN_TIMEOUT", DEFAULT_SHUTDOWN_TIMEOUT));
  }

  /** "conn-" and 8 random hex digits: unique enough among the connectors of one deployment. */
  public static String generatedId() {
    byte[] bytes = new byte[4];
    new SecureRandom().nextBytes(bytes);
    return "conn-" + HexFormat.of().formatHex(bytes);
  }

  /** The secret never appears in logs. */
  @Override
  public String toString() {
    return "ConnectorConfig[id="
        + id
        + ", host="
        + host
        + ", clientPort="
        + clientPort
        + ", grpcPort="
        + grpcPort
        + ", advertiseHost="
        + advertiseHost
        + ", metrics="
        + metricsHost
        + ":"
        + metricsPort
        + ", zkConnect="
        + zkConnect
        + ", jwtSecret=<redacted>, maxFrameBytes="
        + maxFrameBytes
        + ", loginTimeout="
        + loginTimeout
        + ", heartbeatInterval="
        + heartbeatInterval
        + ", idleTimeout="
        + idleTimeout
        + ", routeRenewInterval="
        + routeRenewInterval
        + ", rpcDeadline="
        + rpcDeadline
        + ", syncWait="
        + syncWait
        + ", cursorWriteInterval="
        + cursorWriteInterval
        + ", maxQueuedChatsPerSession="
        + maxQueuedChatsPerSession
        + ", shutdownTimeout="
        + shutdownTimeout
        + "]";
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(name + " must not be empty");
    }
  }

  private static void requirePort(String name, int port) {
    if (port < 0 || port > 65_535) {
      throw new ConfigException(name + " must be a port between 0 and 65535, not " + port);
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ConfigException(name + " must be a positive duration");
    }
  }
}
