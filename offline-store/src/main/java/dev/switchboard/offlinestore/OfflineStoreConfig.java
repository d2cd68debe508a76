package dev.switchboard.offlinestore;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import java.time.Duration;
import java.util.UUID;

/**
 * Everything an offline-store instance needs, validated once at startup.
 *
 * @param kafkaBootstrap IM_KAFKA_BOOTSTRAP, required
 * @param kafkaTopic IM_KAFKA_TOPIC, the durable message log (default im.messages)
 * @param kafkaGroup IM_KAFKA_GROUP, the consumer group all instances share, so each partition is
 *     stored by one of them (default offline-store)
 * @param kafkaPartitions IM_KAFKA_PARTITIONS, used only when the topic is created (default 6, as
 *     transfer)
 * @param kafkaCreateTopic IM_KAFKA_CREATE_TOPIC (default true): create the topic at startup if
 *     missing, so the consumer does not wait for a metadata refresh when it starts before transfer
 * @param consumerThreads IM_OFFLINE_CONSUMER_THREADS (default 1): consumers of this instance, each
 *     with its own thread and Kafka consumer; more than the partitions would idle
 * @param batchMaxRecords IM_OFFLINE_BATCH_MAX_RECORDS (default 500): records per poll, hence per
 *     MySQL transaction; bigger batches store faster and hold row locks longer
 * @param pollTimeout IM_OFFLINE_POLL_TIMEOUT (default 500ms): how long one poll waits for records
 * @param retryBackoff IM_OFFLINE_RETRY_BACKOFF (default 100ms): first wait before a batch whose
 *     MySQL write failed is read again; doubles up to retryBackoffMax
 * @param retryBackoffMax IM_OFFLINE_RETRY_BACKOFF_MAX (default 5s); far below Kafka's
 *     max.poll.interval.ms, so a long outage does not cost the group membership
 * @param mysqlUrl IM_MYSQL_URL, required (jdbc:mysql://host:port/switchboard)
 * @param mysqlUser IM_MYSQL_USER (default root)
 * @param mysqlPassword IM_MYSQL_PASSWORD (default empty)
 * @param mysqlPoolSize IM_MYSQL_POOL_SIZE (default 16): one connection per consumer thread, the
 *     rest for RPCs
 * @param zkConnect IM_ZK_CONNECT, required
 * @param zkConnectTimeout IM_ZK_CONNECT_TIMEOUT (default 15s)
 * @param host IM_OFFLINE_STORE_HOST, the gRPC bind address (default 127.0.0.1)
 * @param port IM_OFFLINE_STORE_PORT (default 0 = a free port)
 * @param advertiseHost IM_ADVERTISE_HOST, the address registered in ZooKeeper (default 127.0.0.1)
 * @param metricsPort IM_METRICS_PORT (default 0 = a free port)
 * @param instanceId IM_INSTANCE_ID (default offline-store-xxxxxxxx)
 * @param handlerThreads IM_OFFLINE_STORE_THREADS (default 32): RPCs block on MySQL (and Sync may
 *     wait up to syncMaxWait), so this bounds the requests in progress
 * @param maxPageSize IM_OFFLINE_MAX_PAGE (default 500): the cap on Sync and History limits
 * @param syncMaxConversations IM_OFFLINE_SYNC_MAX_CONVERSATIONS (default 1000, at least 2):
 *     conversations one Sync page looks at; a user with more gets further pages, so one call stays
 *     bounded
 * @param syncMaxWait IM_OFFLINE_SYNC_MAX_WAIT (default 500ms): the cap on SyncRequest.wait_ms
 * @param shutdownTimeout IM_SHUTDOWN_TIMEOUT (default 10s), the bound on draining in-flight calls
 */
public record OfflineStoreConfig(
    String kafkaBootstrap,
    String kafkaTopic,
    String kafkaGroup,
    int kafkaPartitions,
    boolean kafkaCreateTopic,
    int consumerThreads,
    int batchMaxRecords,
    Duration pollTimeout,
    Duration retryBackoff,
    Duration retryBackoffMax,
    String mysqlUrl,
    String mysqlUser,
    String mysqlPassword,
    int mysqlPoolSize,
    String zkConnect,
    Duration zkConnectTimeout,
    String host,
    int port,
    String advertiseHost,
    int metricsPort,
    String instanceId,
    int handlerThreads,
    int maxPageSize,
    int syncMaxConversations,
    Duration syncMaxWait,
    Duration shutdownTimeout) {

  public OfflineStoreConfig {
    requireText("IM_KAFKA_BOOTSTRAP", kafkaBootstrap);
    requireText("IM_KAFKA_TOPIC", kafkaTopic);
    requireText("IM_KAFKA_GROUP", kafkaGroup);
    requireRange("IM_KAFKA_PARTITIONS", kafkaPartitions, 1, 10_000);
    requireRange("IM_OFFLINE_CONSUMER_THREADS", consumerThreads, 1, 256);
    requireRange("IM_OFFLINE_BATCH_MAX_RECORDS", batchMaxRecords, 1, 100_000);
    requirePositive("IM_OFFLINE_POLL_TIMEOUT", pollTimeout);
    requirePositive("IM_OFFLINE_RETRY_BACKOFF", retryBackoff);
    requirePositive("IM_OFFLINE_RETRY_BACKOFF_MAX", retryBackoffMax);
    if (retryBackoffMax.compareTo(retryBackoff) < 0) {
      throw new ConfigException(
          "IM_OFFLINE_RETRY_BACKOFF_MAX must be >= IM_OFFLINE_RETRY_BACKOFF ("
              + retryBackoff
              + ")");
    }
    if (retryBackoffMax.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ConfigException(
          "IM_OFFLINE_RETRY_BACKOFF_MAX must be at most 1m (the consumer must poll within"
              + " max.poll.interval.ms), not "
              + retryBackoffMax);
    }
    requireText("IM_MYSQL_URL", mysqlUrl);
    if (!mysqlUrl.startsWith("jdbc:mysql:") && !mysqlUrl.startsWith("jdbc:mariadb:")) {
      throw new ConfigException("IM_MYSQL_URL must be a jdbc:mysql:// URL, not '" + mysqlUrl + "'");
    }
    requireText("IM_MYSQL_USER", mysqlUser);
    mysqlPassword = mysqlPassword == null ? "" : mysqlPassword;
    requireRange("IM_MYSQL_POOL_SIZE", mysqlPoolSize, 1, 1_000);
    if (mysqlPoolSize <= consumerThreads) {
      throw new ConfigException(
          "IM_MYSQL_POOL_SIZE must be larger than IM_OFFLINE_CONSUMER_THREADS ("
              + consumerThreads
              + "): each consumer holds a connection during its batch, RPCs need the rest");
    }
    requireText("IM_ZK_CONNECT", zkConnect);
    requirePositive("IM_ZK_CONNECT_TIMEOUT", zkConnectTimeout);
    requireText("IM_OFFLINE_STORE_HOST", host);
    requireRange("IM_OFFLINE_STORE_PORT", port, 0, 65_535);
    requireText("IM_ADVERTISE_HOST", advertiseHost);
    requireRange("IM_METRICS_PORT", metricsPort, 0, 65_535);
    requireText("IM_INSTANCE_ID", instanceId);
    requireRange("IM_OFFLINE_STORE_THREADS", handlerThreads, 1, 10_000);
    requireRange("IM_OFFLINE_MAX_PAGE", maxPageSize, 1, 10_000);
    // One conversation per window costs a round trip per conversation of the user for nothing
    // (and once kept a pass from ever leaving its conversation): at least 2.
    requireRange("IM_OFFLINE_SYNC_MAX_CONVERSATIONS", syncMaxConversations, 2, 100_000);
    if (syncMaxWait == null || syncMaxWait.isNegative() || syncMaxWait.toSeconds() > 30) {
      throw new ConfigException("IM_OFFLINE_SYNC_MAX_WAIT must be 0..30s, not " + syncMaxWait);
    }
    requirePositive("IM_SHUTDOWN_TIMEOUT", shutdownTimeout);
  }

  public static OfflineStoreConfig fromEnv(Env env) {
    return new OfflineStoreConfig(
        env.require("IM_KAFKA_BOOTSTRAP"),
        env.get("IM_KAFKA_TOPIC", "im.messages"),
        env.get("IM_KAFKA_GROUP", "offline-store"),
        env.getInt("IM_KAFKA_PARTITIONS", 6),
        env.getBoolean("IM_KAFKA_CREATE_TOPIC", true),
        env.getInt("IM_OFFLINE_CONSUMER_THREADS", 1),
        env.getInt("IM_OFFLINE_BATCH_MAX_RECORDS", 500),
        env.getDuration("IM_OFFLINE_POLL_TIMEOUT", Duration.ofMillis(500)),
        env.getDuration("IM_OFFLINE_RETRY_BACKOFF", Duration.ofMillis(100)),
        env.getDuration("IM_OFFLINE_RETRY_BACKOFF_MAX", Duration.ofSeconds(5)),
        env.require("IM_MYSQL_URL"),
        env.get("IM_MYSQL_USER", "root"),
        env.get("IM_MYSQL_PASSWORD", ""),
        env.getInt("IM_MYSQL_POOL_SIZE", 16),
        env.require("IM_ZK_CONNECT"),
        env.getDuration("IM_ZK_CONNECT_TIMEOUT", Duration.ofSeconds(15)),
        env.get("IM_OFFLINE_STORE_HOST", "127.0.0.1"),
        env.getInt("IM_OFFLINE_STORE_PORT", 0),
        env.get("IM_ADVERTISE_HOST", "127.0.0.1"),
        env.getInt("IM_METRICS_PORT", 0),
        env.get("IM_INSTANCE_ID", "offline-store-" + UUID.randomUUID().toString().substring(0, 8)),
        env.getInt("IM_OFFLINE_STORE_THREADS", 32),
        env.getInt("IM_OFFLINE_MAX_PAGE", 500),
        env.getInt("IM_OFFLINE_SYNC_MAX_CONVERSATIONS", 1_000),
        env.getDuration("IM_OFFLINE_SYNC_MAX_WAIT", Duration.ofMillis(500)),
        env.getDuration("IM_SHUTDOWN_TIMEOUT", Duration.ofSeconds(10)));
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(name + " must not be empty");
    }
  }

  private static void requireRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(name + " must be " + min + ".." + max + ", not " + value);
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new ConfigException(name + " must be a positive duration, not " + value);
    }
  }
}
