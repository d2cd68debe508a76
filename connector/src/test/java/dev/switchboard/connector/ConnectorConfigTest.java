package dev.switchboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void defaults_areTheDocumentedOnes() {
    ConnectorConfig config = ConnectorConfig.fromEnv(env(Map.of()));

    assertThat(config.id()).matches("conn-[0-9a-f]{8}");
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.clientPort()).isZero();
    assertThat(config.grpcPort()).isZero();
    assertThat(config.advertiseHost()).isEqualTo("127.0.0.1");
    assertThat(config.maxFrameBytes()).isEqualTo(65_536);
    assertThat(config.loginTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.routeRenewInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.maxQueuedChatsPerSession()).isEqualTo(1_000);
    assertThat(config.syncWait()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void everySetting_isReadFromItsVariable() {
    Map<String, String> values = new HashMap<>();
    values.put("IM_CONNECTOR_ID", "conn-a");
    values.put("IM_CONNECTOR_HOST", "0.0.0.0");
    values.put("IM_CONNECTOR_PORT", "9000");
    values.put("IM_CONNECTOR_GRPC_PORT", "9001");
    values.put("IM_ADVERTISE_HOST", "10.0.0.5");
    values.put("IM_METRICS_PORT", "9100");
    values.put("IM_MAX_FRAME_BYTES", "1024");
    values.put("IM_LOGIN_TIMEOUT", "2s");
    values.put("IM_HEARTBEAT_INTERVAL", "10s");
    values.put("IM_IDLE_TIMEOUT", "35s");
    values.put("IM_ROUTE_RENEW_INTERVAL", "5s");
    values.put("IM_RPC_DEADLINE", "3s");
    values.put("IM_MAX_QUEUED_CHATS", "10");
    values.put("IM_SYNC_WAIT", "0s");

    ConnectorConfig config = ConnectorConfig.fromEnv(env(values));

    assertThat(config.id()).isEqualTo("conn-a");
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.metricsHost()).isEqualTo("0.0.0.0");
    assertThat(config.clientPort()).isEqualTo(9000);
    assertThat(config.grpcPort()).isEqualTo(9001);
    assertThat(config.advertiseHost()).isEqualTo("10.0.0.5");
    assertThat(config.metricsPort()).isEqualTo(9100);
    assertThat(config.maxFrameBytes()).isEqualTo(1024);
    assertThat(config.loginTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(35));
    assertThat(config.routeRenewInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.rpcDeadline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.maxQueuedChatsPerSession()).isEqualTo(10);
    assertThat(config.syncWait()).isZero();
  }

  @Test
  void missingSecret_namesTheVariable() {
    Map<String, String> values = new HashMap<>(base());
    values.remove("IM_JWT_SECRET");

    assertThatThrownBy(() -> ConnectorConfig.fromEnv(Env.of(values)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_JWT_SECRET");
  }

  @Test
  void shortSecret_isRefused() {
    assertThatThrownBy(() -> ConnectorConfig.fromEnv(env(Map.of("IM_JWT_SECRET", "short"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_JWT_SECRET");
  }

  @Test
  void badValues_nameTheirVariable() {
    assertThatThrownBy(() -> ConnectorConfig.fromEnv(env(Map.of("IM_CONNECTOR_PORT", "70000"))))
        .hasMessageContaining("IM_CONNECTOR_PORT");
    assertThatThrownBy(() -> ConnectorConfig.fromEnv(env(Map.of("IM_MAX_FRAME_BYTES", "x"))))
        .hasMessageContaining("IM_MAX_FRAME_BYTES");
    assertThatThrownBy(() -> ConnectorConfig.fromEnv(env(Map.of("IM_IDLE_TIMEOUT", "10s"))))
        .hasMessageContaining("IM_IDLE_TIMEOUT");
    assertThatThrownBy(() -> ConnectorConfig.fromEnv(env(Map.of("IM_LOGIN_TIMEOUT", "0s"))))
        .hasMessageContaining("IM_LOGIN_TIMEOUT");
  }

  @Test
  void syncWaitAsLongAsTheRpcDeadline_isRefused_sinceEverySyncWouldTimeOut() {
    assertThatThrownBy(
            () ->
                ConnectorConfig.fromEnv(env(Map.of("IM_SYNC_WAIT", "3s", "IM_RPC_DEADLINE", "3s"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_SYNC_WAIT");
  }

  @Test
  void toString_hidesTheSecret() {
    assertThat(ConnectorConfig.fromEnv(env(Map.of())).toString()).doesNotContain(SECRET);
  }

  private static Map<String, String> base() {
    return Map.of("IM_JWT_SECRET", SECRET, "IM_ZK_CONNECT", "127.0.0.1:2181");
  }

  private static Env env(Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>(base());
    values.putAll(overrides);
    return Env.of(values);
  }
}
