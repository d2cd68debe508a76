package dev.switchboard.transfer;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.common.concurrent.DaemonThreads;
import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.Registration;
import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.common.kafka.TopicSetup;
import dev.switchboard.common.lifecycle.Teardown;
import dev.switchboard.common.metrics.MetricsEndpoint;
import dev.switchboard.transfer.db.Databases;
import dev.switchboard.transfer.grpc.HandlerPool;
import dev.switchboard.transfer.grpc.TransferGrpcService;
import dev.switchboard.transfer.ids.LeasedIdIssuer;
import dev.switchboard.transfer.ids.SnowflakeIdGenerator;
import dev.switchboard.transfer.ids.WorkerIdLease;
import dev.switchboard.transfer.log.MessageLog;
import dev.switchboard.transfer.message.ChatIntake;
import dev.switchboard.transfer.message.IntakeHook;
import dev.switchboard.transfer.message.PolicyCheck;
import dev.switchboard.transfer.message.ReceiptRelay;
import dev.switchboard.transfer.ops.TransferMetrics;
import dev.switchboard.transfer.outbox.OutboxTable;
import dev.switchboard.transfer.outbox.PublishedMarker;
import dev.switchboard.transfer.outbox.Republisher;
import dev.switchboard.transfer.presence.PresenceNotifier;
import dev.switchboard.transfer.relations.FriendDirectory;
import dev.switchboard.transfer.relations.RelationCache;
import dev.switchboard.transfer.relations.RelationChanges;
import dev.switchboard.transfer.relations.RelationTables;
import dev.switchboard.transfer.route.ConnectorPusher;
import dev.switchboard.transfer.route.PushDispatcher;
import dev.switchboard.transfer.route.RouteCache;
import dev.switchboard.transfer.route.RouteLookup;
import dev.switchboard.transfer.route.RouteSource;
import dev.switchboard.transfer.route.RouteWatch;
import dev.switchboard.transfer.sequence.AcceptBatcher;
import dev.switchboard.transfer.sequence.MessageStore;
import dev.switchboard.transfer.users.UserDirectory;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transfer instance: the composition root. {@link #start()} connects MySQL (and migrates), Kafka
 * (and creates the topic), ZooKeeper (worker id lease, discovery), starts the outbox (published
 * marker and republisher), binds gRPC and registers last, so it is only found once it can serve.
 * {@link #close()} deregisters first, then drains; the republisher stops before the producer, the
 * marker after it, so late acknowledgements are still marked. {@link #crash()} (fault tests) stops
 * the same things without any of that care, as kill -9 would.
 */
public final class TransferServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TransferServer.class);

  /** Ephemeral worker id nodes live here, one per running transfer instance. */
  public static final String WORKER_ID_PATH = "/switchboard/worker-ids/transfer";

  private static final Duration KAFKA_STARTUP_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration PUSH_DRAIN_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration ROUTE_WATCH_RETRY = Duration.ofSeconds(1);
  private static final Duration HANDLER_STOP_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration OUTBOX_CLOSE_TIMEOUT = Duration.ofSeconds(2);

  /** Outbox rows whose messages were all acknowledged, waiting to be removed (seconds of peak). */
  private static final int PUBLISHED_MARKS_QUEUED = 100_000;

  /** Beyond the longest own append, for clock skew between instances and a slow commit. */
  private static final Duration REPUBLISH_AGE_MARGIN = Duration.ofSeconds(1);

  /** Friend lists are reused for seconds only, so this bounds memory, not hit rate. */
  private static final int FRIEND_LISTS_CACHED = 10_000;

  private final TransferConfig config;
  private final Clock clock;
  private final IntakeHook intakeHook;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Everything opened so far, closed (or crashed) in reverse order. */
  private final Teardown teardown;

  private volatile Server grpcServer;
  private volatile Registration registration;
  private volatile MetricsEndpoint metricsEndpoint;
  private volatile WorkerIdLease lease;

  public TransferServer(TransferConfig config) {
    this(config, IntakeHook.NONE);
  }

  /**
   * With a failure-injection hook in the SendChat path; for tests that simulate a crash between the
   * sequencing commit and the Kafka acknowledgement.
   */
  public TransferServer(TransferConfig config, IntakeHook intakeHook) {
    this(config, Clock.systemUTC(), intakeHook);
  }

  TransferServer(TransferConfig config, Clock clock, IntakeHook intakeHook) {
    this.config = config;
    this.clock = clock;
    this.intakeHook = intakeHook;
    this.teardown = new Teardown("transfer " + config.instanceId());
  }

  public void start() throws Exception {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    try {
      startAll();
    } catch (Exception | Error e) {
      log.error("transfer {} failed to start: {}", config.instanceId(), e.toString());
      close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", ServiceNames.TRANSFER, "instance", config.instanceId());
    teardown.onClose("meter registry", registry::close);
    TransferMetrics metrics = new TransferMetrics(registry);
    metricsEndpoint = MetricsEndpoint.start(registry, config.host(), config.metricsPort());
    teardown.onClose("metrics endpoint", metricsEndpoint::close);

    HikariDataSource dataSource =
        Databases.pool(
            config.mysqlUrl(),
            config.mysqlUser(),
            config.mysqlPassword(),
            config.mysqlPoolSize(),
            "transfer-" + config.instanceId());
    teardown.onClose("MySQL pool", dataSource::close);
    Databases.migrate(dataSource);

    if (config.kafkaCreateTopic()) {
      TopicSetup.ensureTopic(
          config.kafkaBootstrap(),
          config.kafkaTopic(),
          config.kafkaPartitions(),
          KAFKA_STARTUP_TIMEOUT);
    }
    // Opened before the outbox and the producer so that a crash, which ends in reverse order, has
    // abandoned the unacknowledged records before it closes this client (the slow step, ~100 ms).
    CuratorFramework zk = ZooKeeperClients.connect(config.zkConnect(), config.zkConnectTimeout());
    teardown.onClose("ZooKeeper client", zk::close);
    lease =
        WorkerIdLease.acquire(
            zk, WORKER_ID_PATH, SnowflakeIdGenerator.MAX_WORKER_ID, config.instanceId());
    // A dead process releases nothing: the node goes with the session, when the client closes.
    teardown.onClose("worker id lease", lease::close, lease::abandon);
    lease.onLostForGood(this::deregister);
    LeasedIdIssuer ids =
        new LeasedIdIssuer(
            lease,
            new SnowflakeIdGenerator(
                lease.workerId(), clock::millis, config.maxClockBackward().toMillis()));

    Discovery discovery = new Discovery(zk);
    // Closing discovery unregisters its instances, which a dead process does not do.
    teardown.onClose("discovery", discovery::close, Teardown.NOTHING);
    ServiceDirectory userStatus = discovery.directory(ServiceNames.USER_STATUS);
    teardown.onClose("user-status directory", userStatus::close);
    ServiceDirectory connectors = discovery.directory(ServiceNames.CONNECTOR);
    teardown.onClose("connector directory", connectors::close);
    GrpcChannels channels = new GrpcChannels();
    teardown.onClose("gRPC channels", channels::close, channels::closeNow);

    OutboxTable outbox = new OutboxTable(dataSource);
    PublishedMarker marker = new PublishedMarker(outbox, metrics, PUBLISHED_MARKS_QUEUED);
    marker.start();
    // Closed after the producer, whose close completes the last acknowledgements.
    teardown.onClose("outbox marker", () -> marker.close(OUTBOX_CLOSE_TIMEOUT), marker::halt);
    metrics.monitorOutbox(marker::pending);
    MessageLog messageLog =
        new MessageLog(
            MessageLog.producer(
                config.kafkaBootstrap(), config.instanceId(), config.kafkaDeliveryTimeout()),
            config.kafkaTopic(),
            config.kafkaDeliveryTimeout());
    // Closed after the gRPC server drained, so in-flight sends still get their answer.
    // A crash loses what the broker has not acknowledged yet: committed seqs the outbox must close.
    teardown.onClose(
        "Kafka producer",
        () -> messageLog.close(PRODUCER_CLOSE_TIMEOUT),
        () -> messageLog.close(Duration.ZERO));
    Republisher republisher =
        new Republisher(
            outbox,
            messageLog,
            metrics,
            clock,
            messageLog.maxWait().plus(REPUBLISH_AGE_MARGIN),
            // A batch is produced within one maxWait (plus a blocked send()); twice that leaves
            // room for the database round trips before another instance may take the rows.
            messageLog.maxWait().multipliedBy(2).plusSeconds(1),
            config.outboxBatchSize());
    republisher.start(config.outboxRepublishInterval());
    teardown.onClose(
        "outbox republisher",
        () -> republisher.close(OUTBOX_CLOSE_TIMEOUT),
        () -> republisher.close(Duration.ZERO));

    RouteLookup routeLookup = new RouteLookup(userStatus, channels, config.routeLookupTimeout());
    RouteSource pushRoutes = routeLookup;
    if (!config.routeCacheTtl().isZero()) {
      RouteCache routeCache =
          new RouteCache(routeLookup, clock, config.routeCacheTtl(), config.routeCacheSize());
      metrics.monitorRoutes(routeCache);
      ScheduledExecutorService watchRetries =
          Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("transfer-route-watch"));
      RouteWatch routeWatch =
          new RouteWatch(userStatus, channels, routeCache, watchRetries, ROUTE_WATCH_RETRY);
      routeWatch.start();
      teardown.onClose(
          "route watch",
          () -> {
            routeWatch.close();
            watchRetries.shutdownNow();
          },
          () -> watchRetries.shutdownNow());
      pushRoutes = routeCache;
    }
    PushDispatcher push =
        new PushDispatcher(
            pushRoutes,
            new ConnectorPusher(connectors, channels, config.deliverTimeout(), metrics),
            metrics,
            config.pushLanes(),
            config.pushQueueCapacity());
    teardown.onClose(
        "push lanes", () -> push.close(PUSH_DRAIN_TIMEOUT), () -> push.close(Duration.ZERO));

    UserDirectory users =
        new UserDirectory(dataSource, config.knownUsersCacheSize(), config.unknownUserTtl());
    RelationTables relationTables = new RelationTables(dataSource);
    RelationCache relations =
        new RelationCache(relationTables, config.relationCacheSize(), config.relationCacheTtl());
    metrics.monitorRelations(relations);
    FriendDirectory friends =
        new FriendDirectory(relationTables::friendsOf, FRIEND_LISTS_CACHED, config.friendListTtl());
    PolicyCheck policy = new PolicyCheck(config.messagePolicy(), relations);
    MessageStore store = new MessageStore(dataSource);
    AcceptBatcher sequencer =
        new AcceptBatcher(
            dataSource, store, ids, config.sequencingLanes(), config.sequencingBatchSize());
    teardown.onClose("sequencing lanes", sequencer::close, () -> sequencer.close(Duration.ZERO));
    ChatIntake chats =
        new ChatIntake(
            users, policy, store, sequencer, messageLog, marker, push, metrics, clock, intakeHook);
    ReceiptRelay receipts = new ReceiptRelay(users, policy, ids, messageLog, push, metrics, clock);
    PresenceNotifier presence = new PresenceNotifier(routeLookup, friends, push, metrics, clock);

    HandlerPool handlers =
        new HandlerPool(
            config.handlerThreads(),
            config.handlerQueueCapacity(),
            "transfer-grpc",
            metrics::callRejected);
    teardown.onClose(
        "handler threads",
        () -> handlers.close(HANDLER_STOP_TIMEOUT),
        () -> handlers.close(Duration.ZERO));
    grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
            // Handlers only hand blocking work to the bounded HandlerPool (see there).
            .directExecutor()
            .addService(
                new TransferGrpcService(
                    handlers,
                    chats,
                    receipts,
                    new RelationChanges(relations, friends),
                    presence,
                    metrics))
            .build()
            .start();
    // Calls in flight are cut off unanswered, as the connection to a dead process breaks.
    teardown.onClose("gRPC server", this::stopGrpcServer, () -> grpcServer.shutdownNow());

    registration =
        discovery.register(
            new ServiceEndpoint(
                ServiceNames.TRANSFER,
                config.instanceId(),
                config.advertiseHost(),
                grpcServer.getPort(),
                Map.of("grpc", grpcServer.getPort())));
    teardown.onClose("registration", registration::close, Teardown.NOTHING);
    if (lease.isLostForGood()) {
      deregister();
    }
    log.info(
        "transfer {} serving on {}:{} (worker id {}, topic {}, message policy {}, metrics port {})",
        config.instanceId(),
        config.host(),
        grpcServer.getPort(),
        lease.workerId(),
        config.kafkaTopic(),
        config.messagePolicy().configName(),
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

  /** The Snowflake worker id this instance leased in ZooKeeper. */
  public int workerId() {
    WorkerIdLease current = lease;
    if (current == null) {
      throw new IllegalStateException("not started");
    }
    return current.workerId();
  }

  public String instanceId() {
    return config.instanceId();
  }

  /** Blocks until the gRPC server has terminated (after {@link #close()}). */
  public void awaitTermination() throws InterruptedException {
    Server server = grpcServer;
    if (server != null) {
      server.awaitTermination();
    }
  }

  /**
   * Deregisters (connectors stop picking this instance), stops accepting calls, lets in-flight
   * calls finish for up to the shutdown timeout, then flushes Kafka and releases everything.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    teardown.close();
    log.info("transfer {} stopped", config.instanceId());
  }

  /**
   * For fault tests: stops as if the process were killed (kill -9), without waiting for anything.
   * Calls in flight are cut off unanswered (gRPC shutdownNow) and handler threads interrupted;
   * queued pushes are dropped; records the broker has not acknowledged are abandoned (the producer
   * closes without flushing), so their seqs are committed in MySQL and missing in Kafka until
   * another instance's outbox republishes them; queued published marks are not written. There is no
   * deregistration and no worker id release: the ZooKeeper client just closes, which ends the
   * session, so the registration and the worker id node vanish at once, as ZooKeeper would do on
   * its own after the session timeout (fault tests need not wait for it). Call it from a thread of
   * its own, not from one of this instance's (an {@link IntakeHook}): it interrupts those.
   * Idempotent; {@link #close()} afterwards does nothing.
   */
  public void crash() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.warn(
        "transfer {} crashing (fault test): nothing drained, flushed or deregistered",
        config.instanceId());
    teardown.crash();
    log.warn("transfer {} crashed (fault test)", config.instanceId());
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

  /** Leaves discovery (connectors stop picking this instance) but keeps serving what arrives. */
  private void deregister() {
    Registration current = registration;
    if (current != null) {
      current.close();
    }
  }
}
