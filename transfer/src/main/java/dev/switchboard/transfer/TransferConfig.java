package dev.switchboard.transfer;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import dev.switchboard.transfer.log.MessageLog;
import dev.switchboard.transfer.message.MessagePolicy;
import java.time.Duration;
import java.util.UUID;

/**
 * Everything a transfer instance needs, validated once at startup.
 *
 * @param kafkaBootstrap IM_KAFKA_BOOTSTRAP, required
 * @param kafkaTopic IM_KAFKA_TOPIC, the durable message log (default im.messages)
 * @param kafkaPartitions IM_KAFKA_PARTITIONS, used only when the topic is created (default 6)
 * @param kafkaCreateTopic IM_KAFKA_CREATE_TOPIC (default true): create the topic at startup if
 *     missing; false where topics are managed outside (then startup does not contact Kafka)
 * @param kafkaDeliveryTimeout IM_KAFKA_DELIVERY_TIMEOUT (default 4s): the producer's
 *     delivery.timeout.ms (max.block.ms is half of it); a SendChat waits for Kafka at most 1.5
 *     times this plus 250 ms ({@link MessageLog#maxWait}), which must fit in {@code callerDeadline}
 *     with {@link #DATABASE_HEADROOM} to spare, so that the client gets our answer (UNAVAILABLE,
 *     retry), not a DEADLINE_EXCEEDED
 * @param mysqlUrl IM_MYSQL_URL, required (jdbc:mysql://host:port/switchboard)
 * @param mysqlUser IM_MYSQL_USER (default root)
 * @param mysqlPassword IM_MYSQL_PASSWORD (default empty)
 * @param mysqlPoolSize IM_MYSQL_POOL_SIZE (default 16): each SendChat holds a connection only for
 *     its short sequencing transaction, not while waiting for Kafka
 * @param sequencingLanes IM_SEQUENCING_LANES (default 2): transactions that sequence batches of
 *     messages in parallel, each on its own connection; a conversation always uses the same one
 * @param sequencingBatchSize IM_SEQUENCING_BATCH_SIZE (default 500): messages per sequencing
 *     transaction at most (a batch is whatever queued while the last one committed)
 * @param zkConnect IM_ZK_CONNECT, required
 * @param zkConnectTimeout IM_ZK_CONNECT_TIMEOUT (default 15s)
 * @param host IM_TRANSFER_HOST, the gRPC bind address (default 127.0.0.1)
 * @param port IM_TRANSFER_PORT (default 0 = a free port)
 * @param advertiseHost IM_ADVERTISE_HOST, the address registered in ZooKeeper (default 127.0.0.1)
 * @param metricsPort IM_METRICS_PORT (default 0 = a free port)
 * @param instanceId IM_INSTANCE_ID (default transfer-xxxxxxxx)
 * @param handlerThreads IM_TRANSFER_THREADS (default 16): threads that run the checks of calls (a
 *     batch call's items one after the other); they block only on a cache miss (a MySQL read),
 *     never while a message is sequenced or appended to Kafka
 * @param handlerQueueCapacity IM_TRANSFER_QUEUE_CAPACITY (default 1000): calls waiting for a
 *     handler thread; beyond it calls are refused with RESOURCE_EXHAUSTED. At the usual few ms per
 *     SendChat that is well under a second of backlog; during an outage queued calls whose caller
 *     gave up are skipped without work
 * @param callerDeadline IM_RPC_DEADLINE (default 10s, the connector's default): the deadline
 *     callers put on SendChat, used to check the Kafka timeout at startup (at run time each call's
 *     own deadline bounds the wait too)
 * @param outboxRepublishInterval IM_OUTBOX_REPUBLISH_INTERVAL (default 2s): how often this instance
 *     looks for accepted messages whose Kafka append was never confirmed
 * @param outboxBatchSize IM_OUTBOX_BATCH_SIZE (default 200): messages claimed per republish batch
 *     (in whole outbox rows, one per sequencing batch, so at least one row however many it names)
 * @param routeLookupTimeout IM_ROUTE_LOOKUP_TIMEOUT (default 1s), deadline of GetRoutes
 * @param routeCacheTtl IM_ROUTE_CACHE_TTL (default 30s): the longest a push reuses a user's routes
 *     (never past a route's expiry); user-status announces every change, which drops them at once.
 *     0 turns the cache off: every push asks user-status
 * @param routeCacheSize IM_ROUTE_CACHE_SIZE (default 100000): users whose routes are kept
 * @param deliverTimeout IM_DELIVER_TIMEOUT (default 3s), deadline of Connector.Deliver
 * @param pushLanes IM_PUSH_LANES (default 8): pushes of one conversation run in one lane, in order
 * @param pushQueueCapacity IM_PUSH_QUEUE_CAPACITY (default 10000) per lane; beyond it pushes are
 *     dropped (the messages are durable, recipients sync)
 * @param knownUsersCacheSize IM_KNOWN_USERS_CACHE_SIZE (default 100000): users are never deleted,
 *     so a known user stays cached until evicted
 * @param unknownUserTtl IM_UNKNOWN_USER_TTL (default 5s): how long "no such user" is believed, so a
 *     user registered a moment ago becomes reachable quickly
 * @param messagePolicy IM_MESSAGE_POLICY, friends-only (default) or open: whether a chat message
 *     needs a friendship; blocks refuse messages under both
 * @param relationCacheSize IM_RELATION_CACHE_SIZE (default 100000): pairs whose relation is kept
 * @param relationCacheTtl IM_RELATION_CACHE_TTL (default 60s): a cached relation is read again
 *     after this long even without an InvalidateRelations call (a safety net, not the mechanism)
 * @param friendListTtl IM_FRIEND_LIST_TTL (default 10s): how long a friend list for presence
 *     notices is reused
 * @param maxClockBackward IM_MAX_CLOCK_BACKWARD (default 50ms): clock steps back beyond this make
 *     the id generator refuse instead of wait
 * @param shutdownTimeout IM_SHUTDOWN_TIMEOUT (default 10s), the bound on draining in-flight calls
 */
public record TransferConfig(
    String kafkaBootstrap,
    String kafkaTopic,
    int kafkaPartitions,
    boolean kafkaCreateTopic,
    Duration kafkaDeliveryTimeout,
    String mysqlUrl,
    String mysqlUser,
    String mysqlPassword,
    int mysqlPoolSize,
    int sequencingLanes,
    int sequencingBatchSize,
    String zkConnect,
    Duration zkConnectTimeout,
    String host,
    int port,
    String advertiseHost,
    int metricsPort,
    String instanceId,
    int handlerThreads,
    int handlerQueueCapacity,
    Duration callerDeadline,
    Duration outboxRepublishInterval,
    int outboxBatchSize,
    Duration routeLookupTimeout,
    Duration routeCacheTtl,
    int routeCacheSize,
    Duration deliverTimeout,
    int pushLanes,
    int pushQueueCapacity,
    int knownUsersCacheSize,
    Duration unknownUserTtl,
    MessagePolicy messagePolicy,
    int relationCacheSize,
    Duration relationCacheTtl,
    Duration friendListTtl,
    Duration maxClockBackward,
    Duration shutdownTimeout) {

  /**
   * What a SendChat's deadline must leave besides the Kafka wait: the idempotency lookup and the
   * sequencing transaction (a pooled connection is waited for at most 3 s, but normally takes ms).
   */
  public static final Duration DATABASE_HEADROOM = Duration.ofSeconds(1);

  public TransferConfig {
    requireText("IM_KAFKA_BOOTSTRAP", kafkaBootstrap);
    requireText("IM_KAFKA_TOPIC", kafkaTopic);
    requireRange("IM_KAFKA_PARTITIONS", kafkaPartitions, 1, 10_000);
    requirePositive("IM_KAFKA_DELIVERY_TIMEOUT", kafkaDeliveryTimeout);
    if (kafkaDeliveryTimeout.toMillis() < 100) {
      throw new ConfigException("IM_KAFKA_DELIVERY_TIMEOUT must be at least 100ms");
    }
    requireText("IM_MYSQL_URL", mysqlUrl);
    if (!mysqlUrl.startsWith("jdbc:mysql:") && !mysqlUrl.startsWith("jdbc:mariadb:")) {
      throw new ConfigException("IM_MYSQL_URL must be a jdbc:mysql:// URL, not '" + mysqlUrl + "'");
    }
    requireText("IM_MYSQL_USER", mysqlUser);
    mysqlPassword = mysqlPassword == null ? "" : mysqlPassword;
    requireRange("IM_MYSQL_POOL_SIZE", mysqlPoolSize, 1, 1_000);
    requireRange("IM_SEQUENCING_LANES", sequencingLanes, 1, 64);
    if (sequencingLanes >= mysqlPoolSize) {
      throw new ConfigException(
          "IM_SEQUENCING_LANES ("
              + sequencingLanes
              + ") must be below IM_MYSQL_POOL_SIZE ("
              + mysqlPoolSize
              + "): the lanes hold a connection each while they commit");
    }
    requireRange("IM_SEQUENCING_BATCH_SIZE", sequencingBatchSize, 1, 10_000);
    requireText("IM_ZK_CONNECT", zkConnect);
    requirePositive("IM_ZK_CONNECT_TIMEOUT", zkConnectTimeout);
    requireText("IM_TRANSFER_HOST", host);
    requireRange("IM_TRANSFER_PORT", port, 0, 65_535);
    requireText("IM_ADVERTISE_HOST", advertiseHost);
    requireRange("IM_METRICS_PORT", metricsPort, 0, 65_535);
    requireText("IM_INSTANCE_ID", instanceId);
    requireRange("IM_TRANSFER_THREADS", handlerThreads, 1, 10_000);
    requireRange("IM_TRANSFER_QUEUE_CAPACITY", handlerQueueCapacity, 1, 1_000_000);
    requirePositive("IM_RPC_DEADLINE", callerDeadline);
    Duration kafkaWait = MessageLog.maxWait(kafkaDeliveryTimeout);
    if (kafkaWait.plus(DATABASE_HEADROOM).compareTo(callerDeadline) > 0) {
      throw new ConfigException(
          "IM_KAFKA_DELIVERY_TIMEOUT "
              + kafkaDeliveryTimeout
              + " lets a SendChat wait "
              + kafkaWait
              + " for Kafka, which does not fit in IM_RPC_DEADLINE "
              + callerDeadline
              + " with "
              + DATABASE_HEADROOM
              + " left for the database; lower it (or raise IM_RPC_DEADLINE on every service)");
    }
    requirePositive("IM_OUTBOX_REPUBLISH_INTERVAL", outboxRepublishInterval);
    requireRange("IM_OUTBOX_BATCH_SIZE", outboxBatchSize, 1, 10_000);
    requirePositive("IM_ROUTE_LOOKUP_TIMEOUT", routeLookupTimeout);
    if (routeCacheTtl == null || routeCacheTtl.isNegative()) {
      throw new ConfigException("IM_ROUTE_CACHE_TTL must be 0 (off) or positive");
    }
    requireRange("IM_ROUTE_CACHE_SIZE", routeCacheSize, 1, 100_000_000);
    requirePositive("IM_DELIVER_TIMEOUT", deliverTimeout);
    requireRange("IM_PUSH_LANES", pushLanes, 1, 1_024);
    requireRange("IM_PUSH_QUEUE_CAPACITY", pushQueueCapacity, 1, 10_000_000);
    requireRange("IM_KNOWN_USERS_CACHE_SIZE", knownUsersCacheSize, 1, 100_000_000);
    requirePositive("IM_UNKNOWN_USER_TTL", unknownUserTtl);
    if (messagePolicy == null) {
      throw new ConfigException("IM_MESSAGE_POLICY must be friends-only or open");
    }
    requireRange("IM_RELATION_CACHE_SIZE", relationCacheSize, 1, 100_000_000);
    requirePositive("IM_RELATION_CACHE_TTL", relationCacheTtl);
    requirePositive("IM_FRIEND_LIST_TTL", friendListTtl);
    if (maxClockBackward == null || maxClockBackward.isNegative()) {
      throw new ConfigException("IM_MAX_CLOCK_BACKWARD must be >= 0");
    }
    requirePositive("IM_SHUTDOWN_TIMEOUT", shutdownTimeout);
  }

  public static TransferConfig fromEnv(Env env) {
    return new TransferConfig(
        env.require("IM_KAFKA_BOOTSTRAP"),
        env.get("IM_KAFKA_TOPIC", "im.messages"),
        env.getInt("IM_KAFKA_PARTITIONS", 6),
        env.getBoolean("IM_KAFKA_CREATE_TOPIC", true),
        env.getDuration("IM_KAFKA_DELIVERY_TIMEOUT", Duration.ofSeconds(4)),
        env.require("IM_MYSQL_URL"),
        env.get("IM_MYSQL_USER", "root"),
        env.get("IM_MYSQL_PASSWORD", ""),
        env.getInt("IM_MYSQL_POOL_SIZE", 16),
        env.getInt("IM_SEQUENCING_LANES", 2),
        env.getInt("IM_SEQUENCING_BATCH_SIZE", 500),
        env.require("IM_ZK_CONNECT"),
        env.getDuration("IM_ZK_CONNECT_TIMEOUT", Duration.ofSeconds(15)),
        env.get("IM_TRANSFER_HOST", "127.0.0.1"),
        env.getInt("IM_TRANSFER_PORT", 0),
        env.get("IM_ADVERTISE_HOST", "127.0.0.1"),
        env.getInt("IM_METRICS_PORT", 0),
        env.get("IM_INSTANCE_ID", "transfer-" + UUID.randomUUID().toString().substring(0, 8)),
        env.getInt("IM_TRANSFER_THREADS", 16),
        env.getInt("IM_TRANSFER_QUEUE_CAPACITY", 1_000),
        env.getDuration("IM_RPC_DEADLINE", Duration.ofSeconds(10)),
        env.getDuration("IM_OUTBOX_REPUBLISH_INTERVAL", Duration.ofSeconds(2)),
        env.getInt("IM_OUTBOX_BATCH_SIZE", 200),
        env.getDuration("IM_ROUTE_LOOKUP_TIMEOUT", Duration.ofSeconds(1)),
        env.getDuration("IM_ROUTE_CACHE_TTL", Duration.ofSeconds(30)),
        env.getInt("IM_ROUTE_CACHE_SIZE", 100_000),
        env.getDuration("IM_DELIVER_TIMEOUT", Duration.ofSeconds(3)),
        env.getInt("IM_PUSH_LANES", 8),
        env.getInt("IM_PUSH_QUEUE_CAPACITY", 10_000),
        env.getInt("IM_KNOWN_USERS_CACHE_SIZE", 100_000),
        env.getDuration("IM_UNKNOWN_USER_TTL", Duration.ofSeconds(5)),
        MessagePolicy.parse(
            "IM_MESSAGE_POLICY",
            env.get("IM_MESSAGE_POLICY", MessagePolicy.FRIENDS_ONLY.configName())),
        env.getInt("IM_RELATION_CACHE_SIZE", 100_000),
        env.getDuration("IM_RELATION_CACHE_TTL", Duration.ofSeconds(60)),
        env.getDuration("IM_FRIEND_LIST_TTL", Duration.ofSeconds(10)),
        env.getDuration("IM_MAX_CLOCK_BACKWARD", Duration.ofMillis(50)),
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
