package dev.switchboard.connector;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.Registration;
import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.common.metrics.MeterRegistries;
import dev.switchboard.common.metrics.MetricsEndpoint;
import dev.switchboard.connector.auth.Authenticator;
import dev.switchboard.connector.grpc.ConnectorGrpcService;
import dev.switchboard.connector.net.ClientChannelInitializer;
import dev.switchboard.connector.net.ClientServer;
import dev.switchboard.connector.net.ClientServices;
import dev.switchboard.connector.net.ClientSettings;
import dev.switchboard.connector.net.ClientTransport;
import dev.switchboard.connector.route.ConnectorKicker;
import dev.switchboard.connector.route.CursorWriter;
import dev.switchboard.connector.route.EndpointPicker;
import dev.switchboard.connector.route.OfflineStoreClient;
import dev.switchboard.connector.route.RetryingCall;
import dev.switchboard.connector.route.RouteRenewer;
import dev.switchboard.connector.route.SessionRegistrar;
import dev.switchboard.connector.route.TransferForwarder;
import dev.switchboard.connector.route.UserStatusPresence;
import dev.switchboard.connector.session.LocalDelivery;
import dev.switchboard.connector.session.SessionTable;
import dev.switchboard.proto.KickReason;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of a connector: client listener (Netty), gRPC server for transfer and
 * account-api, ZooKeeper registration, user-status, transfer and offline-store clients, metrics.
 *
 * <p>{@link #start()} registers in ZooKeeper last, when everything else serves; {@link #close()}
 * deregisters first, so that nobody is sent here while it stops.
 */
public final class ConnectorServer implements AutoCloseable {
  /**
   * Transfer, user-status and offline-store calls are idempotent; three attempts ride out one
   * instance dying.
   */
  static final int MAX_ATTEMPTS = 3;

  static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);

  /**
   * Batch calls to transfer outstanding at once, per kind (messages, receipts). A few in flight
   * keep a slow item (a relation load, say) from holding up everything behind it.
   */
  static final int TRANSFER_BATCHES_IN_FLIGHT = 4;

  /** Items per batch call to transfer at most: well under transfer's handler queue. */
  static final int TRANSFER_MAX_BATCH = 256;

  private static final Logger log = LoggerFactory.getLogger(ConnectorServer.class);

  private final ConnectorConfig config;
  private final Clock clock;
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
  private boolean started;
  private boolean closed;

  private ClientServer clientServer;
  private Server grpcServer;
  private MetricsEndpoint metricsEndpoint;
  private Registration registration;
  private LocalDelivery localDelivery;
  private SessionRegistrar registrar;
  private RouteRenewer renewer;
  private CursorWriter cursorWriter;
  private SessionTable sessions;

  public ConnectorServer(ConnectorConfig config) {
    this(config, Clock.systemUTC());
  }

  public ConnectorServer(ConnectorConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public synchronized void start() throws Exception {
    if (started) {
      throw new IllegalStateException("connector " + config.id() + " was already started");
    }
    started = true;
    try {
      doStart();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private void doStart() throws Exception {
    PrometheusMeterRegistry registry =
        MeterRegistries.prometheus(ServiceNames.CONNECTOR, config.id());
    toClose.push(registry::close);

    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "connector-scheduler");
              thread.setDaemon(true);
              return thread;
            });
    toClose.push(scheduler::shutdownNow);

    CuratorFramework zk = ZooKeeperClients.connect(config.zkConnect(), config.zkConnectTimeout());
    toClose.push(zk::close);
    Discovery discovery = new Discovery(zk);
    toClose.push(discovery); // also closes the directories below
    ServiceDirectory transfers = discovery.directory(ServiceNames.TRANSFER);
    ServiceDirectory userStatuses = discovery.directory(ServiceNames.USER_STATUS);
    ServiceDirectory connectors = discovery.directory(ServiceNames.CONNECTOR);
    ServiceDirectory offlineStores = discovery.directory(ServiceNames.OFFLINE_STORE);
    GrpcChannels grpcChannels = new GrpcChannels();
    toClose.push(grpcChannels);

    sessions = new SessionTable();
    ConnectorMetrics metrics = new ConnectorMetrics(registry, sessions);
    Duration deadline = config.rpcDeadline();
    UserStatusPresence presence =
        new UserStatusPresence(
            new RetryingCall(
                ServiceNames.USER_STATUS,
                EndpointPicker.of(userStatuses),
                MAX_ATTEMPTS,
                INITIAL_BACKOFF,
                scheduler),
            grpcChannels,
            deadline);
    TransferForwarder forwarder =
        new TransferForwarder(
            config.id(),
            new RetryingCall(
                ServiceNames.TRANSFER,
                EndpointPicker.of(transfers),
                MAX_ATTEMPTS,
                INITIAL_BACKOFF,
                scheduler),
            grpcChannels,
            deadline,
            TRANSFER_BATCHES_IN_FLIGHT,
            TRANSFER_MAX_BATCH);
    OfflineStoreClient offlineStore =
        new OfflineStoreClient(
            new RetryingCall(
                ServiceNames.OFFLINE_STORE,
                EndpointPicker.of(offlineStores),
                MAX_ATTEMPTS,
                INITIAL_BACKOFF,
                scheduler),
            grpcChannels,
            deadline);
    cursorWriter = new CursorWriter(offlineStore, scheduler, config.cursorWriteInterval(), metrics);
    // Closed before the channels (toClose runs last in, first out) and after the sessions.
    toClose.push(() -> cursorWriter.close(config.shutdownTimeout()));
    registrar =
        new SessionRegistrar(
            config.id(),
            presence,
            new ConnectorKicker(connectors, grpcChannels, deadline),
            forwarder);
    Authenticator authenticator =
        new Authenticator(
            new TokenService(TokenService.decodeSecret(config.jwtSecret()), clock), presence);
    localDelivery = new LocalDelivery(sessions);

    grpcServer = startGrpc(new ConnectorGrpcService(localDelivery));
    ClientTransport transport = ClientTransport.best();
    clientServer =
        ClientServer.bind(
            config.host(),
            config.clientPort(),
            transport,
            new ClientChannelInitializer(
                ClientSettings.of(config),
                new ClientServices(
                    authenticator,
                    sessions,
                    registrar,
                    forwarder,
                    offlineStore,
                    cursorWriter,
                    metrics,
                    clock)));

    renewer = new RouteRenewer(config.id(), sessions, presence);
    renewer.start(scheduler, config.routeRenewInterval());
    metricsEndpoint = MetricsEndpoint.start(registry, config.metricsHost(), config.metricsPort());

    registration =
        discovery.register(
            new ServiceEndpoint(
                ServiceNames.CONNECTOR,
                config.id(),
                config.advertiseHost(),
                grpcPort(),
                Map.of("client", clientPort(), "grpc", grpcPort())));
    log.info(
        "connector {} ready: clients on {}:{} ({}), gRPC on {}:{}, metrics on {}:{}",
        config.id(),
        config.host(),
        clientPort(),
        clientServer.transportName(),
        config.host(),
        grpcPort(),
        config.metricsHost(),
        metricsEndpoint.port());
  }

  private Server startGrpc(ConnectorGrpcService service) throws IOException {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()))
            // Deliveries are written in arrival order, and writing to a channel never blocks.
            .directExecutor()
            .addService(service)
            .build();
    try {
      return server.start();
    } catch (IOException e) {
      if (ClientServer.isAddressInUse(e)) {
        throw new IllegalStateException(
            "port "
                + config.grpcPort()
                + " (connector gRPC) on "
                + config.host()
                + " is already in use",
            e);
      }
      throw e;
    }
  }

  public String id() {
    return config.id();
  }

  public int clientPort() {
    return clientServer.port();
  }

  public int grpcPort() {
    return grpcServer.getPort();
  }

  public int metricsPort() {
    return metricsEndpoint.port();
  }

  /** Sessions currently logged in here. */
  public int sessionCount() {
    return sessions == null ? 0 : sessions.size();
  }

  /**
   * Deregisters from ZooKeeper, tells every client to reconnect elsewhere (Kick SERVER_SHUTDOWN),
   * closes the listener and the connections, withdraws their routes, then stops gRPC and the rest.
   * Each step waits at most the shutdown timeout. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Duration timeout = config.shutdownTimeout();
    quietly("deregistering", () -> closeIfOpen(registration));
    quietly("stopping route renewals", () -> closeIfOpen(renewer));
    if (localDelivery != null) {
      quietly(
          "kicking sessions",
          () -> {
            int kicked =
                localDelivery.kickAll(
                    KickReason.SERVER_SHUTDOWN, "the server is shutting down; reconnect");
            log.info("connector {} closing {} sessions", config.id(), kicked);
          });
    }
    if (clientServer != null) {
      quietly("closing the client listener", () -> clientServer.close(timeout));
    }
    if (registrar != null) {
      quietly("withdrawing routes", () -> registrar.awaitPendingOfflines(timeout));
    }
    if (grpcServer != null) {
      quietly(
          "stopping gRPC",
          () -> {
            grpcServer.shutdown();
            if (!grpcServer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
              grpcServer.shutdownNow();
            }
          });
    }
    if (metricsEndpoint != null) {
      quietly("stopping metrics", metricsEndpoint::close);
    }
    while (!toClose.isEmpty()) {
      AutoCloseable next = toClose.pop();
      quietly("closing " + next, next::close);
    }
    log.info("connector {} stopped", config.id());
  }

  /**
   * For fault tests: stops as if the process were killed (kill -9). No client is told anything (no
   * Kick): the client connections just close; the gRPC server stops at once, failing calls in
   * flight; no route renewal runs again, and the clients' routes are not withdrawn first (the
   * ZooKeeper, user-status and transfer clients are closed before the connections, so a withdrawal
   * after the close cannot get out, just as in a dead process). The ZooKeeper registration
   * disappears at once, as ZooKeeper would notice after its session timeout, so that fault tests
   * need not wait for it. Idempotent; {@link #close()} afterwards does nothing.
   */
  public synchronized void crash() {
    if (closed) {
      return;
    }
    closed = true;
    log.warn("connector {} crashing (fault test): connections dropped without a Kick", config.id());
    quietly("stopping route renewals", () -> closeIfOpen(renewer));
    if (cursorWriter != null) {
      cursorWriter.discard(); // a dead process writes nothing more
    }
    if (grpcServer != null) {
      quietly("stopping gRPC", grpcServer::shutdownNow);
    }
    while (!toClose.isEmpty()) {
      AutoCloseable next = toClose.pop();
      quietly("closing " + next, next::close);
    }
    if (clientServer != null) {
      quietly("dropping client connections", () -> clientServer.close(Duration.ofSeconds(5)));
    }
    if (metricsEndpoint != null) {
      quietly("stopping metrics", metricsEndpoint::close);
    }
    log.warn("connector {} crashed (fault test)", config.id());
  }

  private static void closeIfOpen(AutoCloseable closeable) throws Exception {
    if (closeable != null) {
      closeable.close();
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private void quietly(String what, Step step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("connector {}: interrupted while {}", config.id(), what);
    } catch (Exception e) {
      log.warn("connector {}: {} failed: {}", config.id(), what, e.toString());
    }
  }
}
