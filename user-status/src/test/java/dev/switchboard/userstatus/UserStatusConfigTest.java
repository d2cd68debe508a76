package dev.switchboard.userstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserStatusConfigTest {

  private static Env env(String... keysAndValues) {
    Map<String, String> values = new HashMap<>();
    values.put("IM_REDIS_URL", "redis://127.0.0.1:6390");
    values.put("IM_ZK_CONNECT", "127.0.0.1:2181");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Env.of(values);
  }

  @Test
  void fromEnv_withOnlyTheRequiredVariables_usesLocalDefaults() {
    UserStatusConfig config = UserStatusConfig.fromEnv(env());

    assertThat(config.redisUrl()).isEqualTo("redis://127.0.0.1:6390");
    assertThat(config.zkConnect()).isEqualTo("127.0.0.1:2181");
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.advertiseHost()).isEqualTo("127.0.0.1");
    assertThat(config.metricsPort()).isZero();
    assertThat(config.sessionTtl()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.instanceId()).startsWith("user-status-");
    assertThat(config.redisTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.redisPoolSize()).isEqualTo(64);
    assertThat(config.onlineCleanupInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void fromEnv_readsEveryOverride() {
    UserStatusConfig config =
        UserStatusConfig.fromEnv(
            env(
                "IM_USER_STATUS_HOST", "0.0.0.0",
                "IM_USER_STATUS_PORT", "7100",
                "IM_ADVERTISE_HOST", "user-status.internal",
                "IM_METRICS_PORT", "-1",
                "IM_SESSION_TTL", "45s",
                "IM_INSTANCE_ID", "us-1",
                "IM_REDIS_TIMEOUT", "500ms",
                "IM_REDIS_POOL_SIZE", "8",
                "IM_ONLINE_CLEANUP_INTERVAL", "5m"));

    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(7100);
    assertThat(config.advertiseHost()).isEqualTo("user-status.internal");
    assertThat(config.metricsPort()).isEqualTo(-1);
    assertThat(config.sessionTtl()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.instanceId()).isEqualTo("us-1");
    assertThat(config.redisTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.redisPoolSize()).isEqualTo(8);
    assertThat(config.onlineCleanupInterval()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void missingRedisOrZooKeeper_isAConfigErrorNamingTheVariable() {
    assertThatThrownBy(() -> UserStatusConfig.fromEnv(Env.of(Map.of("IM_ZK_CONNECT", "x:1"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_REDIS_URL");
    assertThatThrownBy(
            () ->
                UserStatusConfig.fromEnv(Env.of(Map.of("IM_REDIS_URL", "redis://127.0.0.1:6379"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_ZK_CONNECT");
  }

  @Test
  void badValues_areConfigErrorsNamingTheVariable() {
    assertRejected(env("IM_REDIS_URL", "localhost:6379"), "IM_REDIS_URL");
    assertRejected(env("IM_REDIS_URL", "http://127.0.0.1:6379"), "IM_REDIS_URL");
    assertRejected(env("IM_USER_STATUS_PORT", "70000"), "IM_USER_STATUS_PORT");
    assertRejected(env("IM_USER_STATUS_PORT", "-1"), "IM_USER_STATUS_PORT");
    assertRejected(env("IM_METRICS_PORT", "-2"), "IM_METRICS_PORT");
    assertRejected(env("IM_SESSION_TTL", "0s"), "IM_SESSION_TTL");
    assertRejected(env("IM_SESSION_TTL", "soon"), "IM_SESSION_TTL");
    assertRejected(env("IM_REDIS_POOL_SIZE", "0"), "IM_REDIS_POOL_SIZE");
  }

  private static void assertRejected(Env env, String variable) {
    assertThatThrownBy(() -> UserStatusConfig.fromEnv(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(variable);
  }
}
