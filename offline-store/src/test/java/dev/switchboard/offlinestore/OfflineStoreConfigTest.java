package dev.switchboard.offlinestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfflineStoreConfigTest {

  private static Map<String, String> required() {
    Map<String, String> env = new HashMap<>();
    env.put("IM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    env.put("IM_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/switchboard");
    env.put("IM_ZK_CONNECT", "127.0.0.1:2181");
    return env;
  }

  @Test
  void defaults_areTheDocumentedOnes() {
    OfflineStoreConfig config = OfflineStoreConfig.fromEnv(Env.of(required()));

    assertThat(config.kafkaTopic()).isEqualTo("im.messages");
    assertThat(config.kafkaGroup()).isEqualTo("offline-store");
    assertThat(config.consumerThreads()).isEqualTo(1);
    assertThat(config.batchMaxRecords()).isEqualTo(500);
    assertThat(config.port()).isZero();
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.maxPageSize()).isEqualTo(500);
    assertThat(config.syncMaxWait()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.instanceId()).startsWith("offline-store-");
    assertThat(config.mysqlUser()).isEqualTo("root");
  }

  @Test
  void missingRequiredVariable_isNamed() {
    Map<String, String> env = required();
    env.remove("IM_KAFKA_BOOTSTRAP");

    assertThatThrownBy(() -> OfflineStoreConfig.fromEnv(Env.of(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_KAFKA_BOOTSTRAP");
  }

  @Test
  void badValues_areRefusedNamingTheVariable() {
    for (Map.Entry<String, String> bad :
        Map.of(
                "IM_MYSQL_URL", "postgres://x",
                "IM_OFFLINE_STORE_PORT", "70000",
                "IM_OFFLINE_CONSUMER_THREADS", "0",
                "IM_OFFLINE_SYNC_MAX_WAIT", "2m",
                "IM_OFFLINE_RETRY_BACKOFF_MAX", "10ms",
                "IM_MYSQL_POOL_SIZE", "1",
                // One conversation per window cannot move a pass past a conversation.
                "IM_OFFLINE_SYNC_MAX_CONVERSATIONS", "1")
            .entrySet()) {
      Map<String, String> env = required();
      env.put(bad.getKey(), bad.getValue());
      assertThatThrownBy(() -> OfflineStoreConfig.fromEnv(Env.of(env)))
          .as(bad.toString())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(bad.getKey());
    }
  }
}
