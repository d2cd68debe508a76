/**
 * Fault tests of the delivery guarantees (architecture.md, "Guarantees"; issue "Durable delivery"):
 * each class starts a whole cluster of its own ({@link
 * dev.switchboard.launcher.faults.FaultCluster}: 2 connectors, 2 transfers, user-status,
 * offline-store, account-api on real ZooKeeper, Redis, MariaDB and Kafka), drives real SDK clients
 * ({@link dev.switchboard.launcher.faults.ChatTraffic}), breaks one thing mid-traffic and ends with
 * the {@link dev.switchboard.devkit.delivery.DeliveryChecker}: lost 0, duplicates 0, order
 * violations 0, no seq hole, no client_msg_id that became two messages.
 *
 * <ul>
 *   <li>{@code ConnectorCrashFaultIT}: a connector dies without a Kick; clients reconnect elsewhere
 *       and sync.
 *   <li>{@code TransferLossFaultIT}: one transfer instance is killed; resends keep their message,
 *       the outbox empties.
 *   <li>{@code RedisFlushFaultIT}: Redis FLUSHALL; no seq reused, routes come back by renewal.
 *   <li>{@code KafkaOutageFaultIT}: the broker stops and restarts; no SENT while it is down,
 *       everything SENT is delivered and stored afterwards.
 *   <li>{@code OfflineSyncFaultIT}: an offline user gets what five senders sent, in order, at
 *       login; logs the full sync time.
 *   <li>{@code OfflineStoreRestartFaultIT}: offline-store is killed again and again between its
 *       MySQL commit and its offset commit and started afresh; every message stored once.
 * </ul>
 *
 * <p>Size: {@link dev.switchboard.launcher.faults.FaultScale} (smaller by default for CI; {@code
 * -Pfaults-large} for the full size). Run them alone from {@code launcher/} with {@code mvn
 * -B verify -Dit.test='*FaultIT' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
package dev.switchboard.launcher.faults;
