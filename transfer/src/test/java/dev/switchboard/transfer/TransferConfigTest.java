package dev.switchboard.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import dev.switchboard.transfer.message.MessagePolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferConfigTest {
  private static Map<String, String> required() {
    Map<String, String> env = new HashMap<>();
    env.put("IM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    env.put("IM_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/switchboard");
    env.put("IM_ZK_CONNECT", "127.0.0.1:2181");
    return env;
  }

  @Test
  void defaults_areTheDocumentedOnes() {
    TransferConfig config = TransferConfig.fromEnv(Env.of(required()));
    assertThat(config.kafkaTopic()).isEqualTo("im.messages");
    assertThat(config.kafkaPartitions()).isEqualTo(6);
    assertThat(config.kafkaCreateTopic()).isTrue();
    assertThat(config.mysqlUser()).isEqualTo("root");
    assertThat(config.mysqlPassword()).isEmpty();
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.deliverTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.instanceId()).startsWith("transfer-");
    assertThat(config.messagePolicy()).isEqualTo(MessagePolicy.FRIENDS_ONLY);
    assertThat(config.relationCacheTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.relationCacheSize()).isEqualTo(100_000);
  }

  @Test
  void messagePolicy_isFriendsOnlyOrOpen() {
    Map<String, String> env = required();
    env.put("IM_MESSAGE_POLICY", "open");
    assertThat(TransferConfig.fromEnv(Env.of(env)).messagePolicy()).isEqualTo(MessagePolicy.OPEN);
    env.put("IM_MESSAGE_POLICY", "everyone");
    assertThatThrownBy(() -> TransferConfig.fromEnv(Env.of(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_MESSAGE_POLICY");
    env.put("IM_MESSAGE_POLICY", "friends-only");
    env.put("IM_RELATION_CACHE_TTL", "0s");
    assertThatThrownBy(() -> TransferConfig.fromEnv(Env.of(env)))
        .hasMessageContaining("IM_RELATION_CACHE_TTL");
  }

  @Test
  void sequencingLanes_mustLeaveConnectionsInThePool_andBatchesMustBePositive() {
    Map<String, String> env = required();
    assertThat(TransferConfig.fromEnv(Env.of(env)).sequencingLanes()).isEqualTo(2);
    assertThat(TransferConfig.fromEnv(Env.of(env)).sequencingBatchSize()).isEqualTo(500);
    env.put("IM_MYSQL_POOL_SIZE", "4");
    env.put("IM_SEQUENCING_LANES", "4");
    assertThatThrownBy(() -> TransferConfig.fromEnv(Env.of(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_SEQUENCING_LANES (4) must be below IM_MYSQL_POOL_SIZE (4)");
    env.put("IM_SEQUENCING_LANES", "2");
    env.put("IM_SEQUENCING_BATCH_SIZE", "0");
    assertThatThrownBy(() -> TransferConfig.fromEnv(Env.of(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_SEQUENCING_BATCH_SIZE");
  }

  @Test
  void missingKafka_namesTheVariable() {
    Map<String, String> env = required();
    env.remove("IM_KAFKA_BOOTSTRAP");
    assertThatThrownBy(() -> TransferConfig.fromEnv(Env.of(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_KAFKA_BOOTSTRAP");
  }

  @Test
  void badValues_nameTheVariable() {
    Map<String, String> env = required();
    env.put("IM_KAFKA_PARTITIONS", "0");
    assertThatThrownBy(() -> TransferConfig.fromEnv(Env.of(env)))
        .hasMessageContaining("IM_KAFKA_PARTITIONS");
    env.put("IM_KAFKA_PARTITIONS", "3");
    env.put("IM_MYSQL_URL", "postgres://x");
    assertThatThrownBy(() -> TransferConfig.fromEnv(Env.of(env)))
        .hasMessageContaining("IM_MYSQL_URL");
  }

  @Test
  void kafkaTimeoutThatDoesNotFitTheCallersDeadline_isRefused() {
    Map<String, String> env = required();
    TransferConfig defaults = TransferConfig.fromEnv(Env.of(env));
    assertThat(defaults.callerDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.handlerQueueCapacity()).isEqualTo(1_000);
    assertThat(defaults.outboxRepublishInterval()).isEqualTo(Duration.ofSeconds(2));

    // 6 s delivery + 3 s max.block + 0.25 s + 1 s for the database > 10 s.
    env.put("IM_KAFKA_DELIVERY_TIMEOUT", "6s");
    assertThatThrownBy(() -> TransferConfig.fromEnv(Env.of(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_KAFKA_DELIVERY_TIMEOUT")
        .hasMessageContaining("IM_RPC_DEADLINE");
    env.put("IM_RPC_DEADLINE", "20s");
    assertThat(TransferConfig.fromEnv(Env.of(env)).kafkaDeliveryTimeout())
        .isEqualTo(Duration.ofSeconds(6));
  }
}
