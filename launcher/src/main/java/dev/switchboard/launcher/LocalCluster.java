package dev.switchboard.launcher;

import dev.switchboard.account.AccountApiConfig;
import dev.switchboard.account.AccountApiServer;
import dev.switchboard.common.config.Env;
import dev.switchboard.connector.ConnectorConfig;
import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.offlinestore.OfflineStoreConfig;
import dev.switchboard.offlinestore.OfflineStoreServer;
import dev.switchboard.offlinestore.ingest.IngestHooks;
import dev.switchboard.transfer.TransferConfig;
import dev.switchboard.transfer.TransferServer;
import dev.switchboard.userstatus.UserStatusConfig;
import dev.switchboard.userstatus.UserStatusServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Switchboard service in this JVM, wired to the given infrastructure: user-status, the
 * transfers, offline-store, account-api and the connectors, each the same server class that runs as
 * its own process in production, built from the same IM_* settings. {@code ./im up} and the system
 * tests run this.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

  private final ClusterSettings settings;
  private final Map<String, String> infrastructure;
  private final FaultHooks hooks;

  /** In start order; closed from the end. */
  private final List<AutoCloseable> running = new ArrayList<>();

  private UserStatusServer userStatus;
  private final List<TransferServer> transfers = new ArrayList<>();
  private OfflineStoreServer offlineStore;
  private AccountApiServer accountApi;
  private final List<ConnectorServer> connectors = new ArrayList<>();

  /**
   * @param infrastructure IM_REDIS_URL, IM_MYSQL_URL, IM_MYSQL_USER, IM_MYSQL_PASSWORD,
   *     IM_KAFKA_BOOTSTRAP and IM_ZK_CONNECT of the servers to use
   */
  public LocalCluster(ClusterSettings settings, Map<String, String> infrastructure) {
    this(settings, infrastructure, FaultHooks.NONE);
  }

  /** With fault-injection hooks in the services (tests). */
  public LocalCluster(
      ClusterSettings settings, Map<String, String> infrastructure, FaultHooks hooks) {
    this.settings = settings;
    this.infrastructure = Map.copyOf(infrastructure);
    this.hooks = hooks;
  }

  /** Starts the services in dependency order; on failure stops what already started. */
  public LocalCluster start() throws Exception {
    try {
      userStatus = new UserStatusServer(UserStatusConfig.fromEnv(env(Map.of())));
      startService(userStatus, userStatus::start);
      for (int i = 1; i <= settings.transfers(); i++) {
        String id = "transfer-" + i;
        TransferServer transfer =
            new TransferServer(
                TransferConfig.fromEnv(env(Map.of("IM_INSTANCE_ID", id))), hooks.transfer(id));
        startService(transfer, transfer::start);
        transfers.add(transfer);
      }
      offlineStore = newOfflineStore(hooks.offlineStore());
      startService(offlineStore, offlineStore::start);
      accountApi =
          new AccountApiServer(
              AccountApiConfig.fromEnv(
                  env(
                      Map.of(
                          "IM_HTTP_HOST", settings.httpHost(),
                          "IM_HTTP_PORT", Integer.toString(settings.httpPort())))));
      startService(accountApi, accountApi::start);
      for (int i = 0; i < settings.connectorPorts().size(); i++) {
        startConnector("conn-" + (i + 1), settings.connectorPorts().get(i));
      }
    } catch (Exception e) {
      close();
      throw e;
    }
    return this;
  }

  /** Starts one more connector (e.g. to replace one a test killed). */
  public ConnectorServer startConnector(String id, int clientPort) throws Exception {
    ConnectorServer connector =
        new ConnectorServer(
            ConnectorConfig.fromEnv(
                env(
                    Map.of(
                        "IM_CONNECTOR_ID",
                        id,
                        "IM_CONNECTOR_PORT",
                        Integer.toString(clientPort)))));
    startService(connector, connector::start);
    connectors.add(connector);
    return connector;
  }

  /**
   * For fault tests: kills offline-store as kill -9 would ({@link OfflineStoreServer#crash()}; a
   * no-op if the instance already crashed, e.g. from one of its hooks) and starts a fresh instance
   * with the same settings (instance id, consumer group) and {@code hooks}. Connectors and
   * account-api find it through ZooKeeper as they found the first one; it reads again whatever the
   * dead one stored without committing the offsets.
   *
   * @return the new instance, which {@link #offlineStore()} returns from now on
   */
  public synchronized OfflineStoreServer restartOfflineStore(IngestHooks hooks) throws Exception {
    OfflineStoreServer dead = offlineStore;
    dead.crash();
    OfflineStoreServer fresh = newOfflineStore(hooks);
    long startedAt = System.nanoTime();
    fresh.start();
    running.set(running.indexOf(dead), fresh);
    offlineStore = fresh;
    log.info(
        "offline-store {} restarted in {} ms",
        fresh.instanceId(),
        (System.nanoTime() - startedAt) / 1_000_000);
    return fresh;
  }

  private OfflineStoreServer newOfflineStore(IngestHooks hooks) {
    return new OfflineStoreServer(
        OfflineStoreConfig.fromEnv(env(Map.of("IM_INSTANCE_ID", "offline-store-1"))),
        Clock.systemUTC(),
        hooks);
  }

  /** The services share no interface; each brings its own start. */
  @FunctionalInterface
  private interface Start {
    void run() throws Exception;
  }

  private void startService(AutoCloseable service, Start start) throws Exception {
    long startedAt = System.nanoTime();
    start.run();
    running.add(service);
    log.debug(
        "started {} in {} ms",
        service.getClass().getSimpleName(),
        (System.nanoTime() - startedAt) / 1_000_000);
  }

  private Env env(Map<String, String> own) {
    Map<String, String> values = new HashMap<>(infrastructure);
    values.put("IM_JWT_SECRET", settings.jwtSecret());
    values.put("IM_PROFILE", "dev");
    values.put("IM_ADVERTISE_HOST", "127.0.0.1");
    values.put("IM_METRICS_PORT", "0");
    values.putAll(settings.overrides());
    values.putAll(own);
    return Env.of(values);
  }

  public String accountApiUrl() {
    return "http://" + settings.httpHost() + ":" + accountApi.port();
  }

  public UserStatusServer userStatus() {
    return userStatus;
  }

  public List<TransferServer> transfers() {
    return List.copyOf(transfers);
  }

  public List<ConnectorServer> connectors() {
    return List.copyOf(connectors);
  }

  public synchronized OfflineStoreServer offlineStore() {
    return offlineStore;
  }

  public AccountApiServer accountApi() {
    return accountApi;
  }

  /** Stops the services in reverse start order; each gets its own bounded graceful stop. */
  @Override
  public void close() {
    while (!running.isEmpty()) {
      AutoCloseable service = running.remove(running.size() - 1);
      try {
        service.close();
      } catch (Exception e) {
        log.warn("stopping {} failed: {}", service.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
