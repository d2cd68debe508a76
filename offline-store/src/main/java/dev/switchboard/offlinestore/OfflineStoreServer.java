package dev.switchboard.offlinestore;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.common.concurrent.DaemonThreads;
import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.Registration;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.common.kafka.TopicSetup;
import dev.switchboard.common.lifecycle.Teardown;
import dev.switchboard.common.metrics.MeterRegistries;
import dev.switchboard.common.metrics.MetricsEndpoint;
import dev.switchboard.offlinestore.grpc.OfflineStoreGrpcService;
import dev.switchboard.offlinestore.grpc.RpcMetricsInterceptor;
import dev.switchboard.offlinestore.history.HistoryService;
import dev.switchboard.offlinestore.ingest.IngestGroup;
import dev.switchboard.offlinestore.ingest.IngestHooks;
import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.Databases;
import dev.switchboard.offlinestore.store.StoreProgress;
import dev.switchboard.offlinestore.sync.AllocatedSeqs;
import dev.switchboard.offlinestore.sync.ConversationMembers;
import dev.switchboard.offlinestore.sync.DeliveryCursors;
import dev.switchboard.offlinestore.sync.ReadMarks;
import dev.switchboard.offlinestore.sync.SyncService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An offline-store instance: the composition root. {@link #start()} connects MySQL (and migrates),
 * makes sure the topic exists, starts the consumers, binds gRPC and registers in ZooKeeper last, so
 * it is only found once it can serve. {@link #close()} deregisters first, drains the RPCs, then
 * stops the consumers (each commits what it stored) and releases everything. {@link #crash()}
 * (fault tests) stops the same things as kill -9 would: no offset commit, no draining, no
 * deregistration.
 */
public final class OfflineStoreServer implements AutoCloseable {
  /**
   * Threads committing concurrent cursor advances in batches, each on one pooled connection while
   * it commits: two keep the flushes overlapping without taking the pool from sync and history.
   */
  private static final int CURSOR_ADVANCE_LANES = 2;

  private static final Logger log = LoggerFactory.getLogger(OfflineStoreServer.class);

  private static final Duration KAFKA_STARTUP_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration CONSUMER_STOP_TIMEOUT = Duration.ofSeconds(10);

  private final OfflineStoreConfig config;
  private final Clock clock;
  private final IngestHooks hooks;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Everything opened so far, closed (or crashed) in reverse order. */
  private final Teardown teardown;

  private volatile Server grpcServer;
  private volatile MetricsEndpoint metricsEndpoint;
  private volatile IngestGroup ingest;
  private volatile OfflineMetrics metrics;

  public OfflineStoreServer(OfflineStoreConfig config) {
    this(config, Clock.systemUTC(), IngestHooks.NONE);
  }

  /**
   * @param hooks fault injection for tests; {@link IngestHooks#NONE} in production
   */
  public OfflineStoreServer(OfflineStoreConfig config, Clock clock, IngestHooks hooks) {
    this.config = config;
    this.clock = clock;
    this.hooks = hooks;
    this.teardown = new Teardown("offline-store " + config.instanceId());
  }

  public void start() throws Exception {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    try {
      startAll();
    } catch (Exception | Error e) {
      log.error("offline-store {} failed to start: {}", config.instanceId(), e.toString());
      close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    PrometheusMeterRegistry registry =
        MeterRegistries.prometheus(ServiceNames.OFFLINE_STORE, config.instanceId());
    teardown.onClose("meter registry", registry::close);
    metrics = new OfflineMetrics(registry);
    metricsEndpoint = MetricsEndpoint.start(registry, config.host(), config.metricsPort());
    teardown.onClose("metrics endpoint", metricsEndpoint::close);

    HikariDataSource dataSource =
        Databases.pool(
            config.mysqlUrl(),
            config.mysqlUser(),
            config.mysqlPassword(),
            config.mysqlPoolSize(),
            "offline-store-" + config.instanceId());
    teardown.onClose("MySQL pool", dataSource::close);
    Databases.migrate(dataSource);

    if (config.kafkaCreateTopic()) {
      TopicSetup.ensureTopic(
          config.kafkaBootstrap(),
          config.kafkaTopic(),
          config.kafkaPartitions(),
          KAFKA_STARTUP_TIMEOUT);
    }

    StoreProgress progress = new StoreProgress();
    ingest =
        new IngestGroup(
            new IngestGroup.Settings(
                config.kafkaBootstrap(),
                config.kafkaTopic(),
                config.kafkaGroup(),
                config.instanceId(),
                config.consumerThreads(),
                config.batchMaxRecords(),
                config.pollTimeout(),
                config.retryBackoff(),
                config.retryBackoffMax()),
            dataSource,
            hooks,
            progress,
            metrics);
    // Stopped after the gRPC server drained, before the pool closes: the last batch commits. A
    // crash commits nothing: what is in MySQL but not committed in Kafka is read again.
    teardown.onClose("consumers", () -> ingest.close(CONSUMER_STOP_TIMEOUT), ingest::halt);
    Gauge.builder("offline.ingest.consumers.running", ingest, IngestGroup::running)
        .description("Consumers still consuming; below the configured count one stopped")
        .register(registry);
    ingest.start();

    CuratorFramework zk = ZooKeeperClients.connect(config.zkConnect(), config.zkConnectTimeout());
    teardown.onClose("ZooKeeper client", zk::close);
    Discovery discovery = new Discovery(zk);
    // Closing discovery unregisters its instances, which a dead process does not do.
    teardown.onClose("discovery", discovery::close, Teardown.NOTHING);

    AllocatedSeqs allocated = new AllocatedSeqs(clock);
    ConversationMembers members = new ConversationMembers(clock);
    SyncService sync =
        new SyncService(
            dataSource,
            allocated,
            members,
            progress,
            metrics,
            clock,
            config.maxPageSize(),
            config.syncMaxConversations(),
            config.syncMaxWait());
    DeliveryCursors cursors =
        new DeliveryCursors(dataSource, allocated, members, metrics, CURSOR_ADVANCE_LANES);
    teardown.onClose("cursor advance lanes", cursors::close);
    OfflineStoreGrpcService service =
        new OfflineStoreGrpcService(
            sync,
            cursors,
            new ReadMarks(dataSource),
            new HistoryService(dataSource, config.maxPageSize()));

    ExecutorService handlers =
        Executors.newFixedThreadPool(config.handlerThreads(), DaemonThreads.named("offline-grpc"));
    teardown.onClose("handler threads", () -> stopPool(handlers), handlers::shutdownNow);
    grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
            .executor(handlers)
            .addService(ServerInterceptors.intercept(service, new RpcMetricsInterceptor(registry)))
            .build()
            .start();
    teardown.onClose("gRPC server", this::stopGrpcServer, this::cutGrpcServerOff);

    Registration registration =
        discovery.register(
            new ServiceEndpoint(
                ServiceNames.OFFLINE_STORE,
                config.instanceId(),
                config.advertiseHost(),
                grpcServer.getPort(),
                Map.of("grpc", grpcServer.getPort())));
    // Gone with the ZooKeeper session in a crash.
    teardown.onClose("registration", registration::close, Teardown.NOTHING);
    log.info(
        "offline-store {} serving on {}:{} (topic {}, group {}, {} consumer(s), metrics port {})",
        config.instanceId(),
        config.host(),
        grpcServer.getPort(),
        config.kafkaTopic(),
        config.kafkaGroup(),
        config.consumerThreads(),
        metricsEndpoint.port());
  }

  /** The bound gRPC port. */
  public int port() {
    Server server = grpcServer;
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getPort();
  }

  public int metricsPort() {
    MetricsEndpoint endpoint = metricsEndpoint;
    if (endpoint == null) {
      throw new IllegalStateException("not started");
    }
    return endpoint.port();
  }

  public String instanceId() {
    return config.instanceId();
  }

  /** Consumers still consuming (fewer than configured after a fatal error). */
  public int consumersRunning() {
    IngestGroup group = ingest;
    return group == null ? 0 : group.running();
  }

  /** This instance's meters, for tests and embedding launchers. */
  public OfflineMetrics metrics() {
    OfflineMetrics current = metrics;
    if (current == null) {
      throw new IllegalStateException("not started");
    }
    return current;
  }

  /** Blocks until the gRPC server has terminated (after {@link #close()}). */
  public void awaitTermination() throws InterruptedException {
    Server server = grpcServer;
    if (server != null) {
      server.awaitTermination();
    }
  }

  /**
   * Deregisters (callers stop picking this instance), stops accepting calls, lets in-flight calls
   * finish for up to the shutdown timeout, stops the consumers (committing what they stored) and
   * releases everything. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    teardown.close();
    log.info("offline-store {} stopped", config.instanceId());
  }

  /**
   * For fault tests: stops as if the process were killed (kill -9), without waiting for any work to
   * finish. RPCs in flight are cut off unanswered; the consumers commit no offset from now on (not
   * even for a batch already in MySQL, so it is read again by the next owner of its partitions) and
   * abandon the batch in hand; database connections are aborted, so a transaction in progress rolls
   * back. There is no deregistration: the ZooKeeper client just closes, which ends the session, so
   * the registration vanishes at once, as ZooKeeper would do after the session timeout. Likewise
   * the consumers' group membership ends at once rather than after the group's session timeout, so
   * that fault tests need not wait for either. Safe to call from an {@link IngestHooks} callback
   * (that is, on a consumer thread); idempotent; {@link #close()} afterwards does nothing.
   */
  public void crash() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.warn(
        "offline-store {} crashing (fault test): no offset commit, nothing drained or"
            + " deregistered",
        config.instanceId());
    // The offset commit is what this crash exists to withhold: first, before the slower steps.
    IngestGroup group = ingest;
    if (group != null) {
      group.halt();
    }
    teardown.crash();
    log.warn("offline-store {} crashed (fault test)", config.instanceId());
  }

  private void stopGrpcServer() throws InterruptedException {
    Server server = grpcServer;
    server.shutdown();
    if (!server.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("in-flight calls did not finish within {}; cancelling", config.shutdownTimeout());
      server.shutdownNow();
      server.awaitTermination(1, TimeUnit.SECONDS);
    }
  }

  /**
   * Calls in flight are cancelled unanswered, as the connections to a dead process break. Waits
   * only for the transports to go (not for the calls): until then they still hand work to the
   * handler threads, which the next step stops.
   */
  private void cutGrpcServerOff() throws InterruptedException {
    Server server = grpcServer;
    server.shutdownNow();
    server.awaitTermination(1, TimeUnit.SECONDS);
  }

  private static void stopPool(ExecutorService pool) throws InterruptedException {
    pool.shutdown();
    if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
      pool.shutdownNow();
    }
  }
}
