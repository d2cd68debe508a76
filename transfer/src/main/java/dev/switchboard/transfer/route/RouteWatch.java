package dev.switchboard.transfer.route;

import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.proto.internal.RouteChanges;
import dev.switchboard.proto.internal.UserStatusGrpc;
import dev.switchboard.proto.internal.WatchRoutesRequest;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one WatchRoutes stream open to some user-status instance (each one relays every instance's
 * changes) and feeds it to the {@link RouteCache}: live on the stream's first message, an
 * invalidation per change, down the moment the stream ends. It then subscribes again, to whichever
 * instance discovery offers, after {@code retry}.
 */
public final class RouteWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouteWatch.class);

  static final Duration SILENCE = Duration.ofSeconds(5);

  private final ServiceDirectory userStatus;
  private final GrpcChannels channels;
  private final RouteCache cache;
  private final ScheduledExecutorService scheduler;
  private final Duration retry;
  private final RateLimitedLog failures = new RateLimitedLog(log, 30_000);
  private Stream current;
  private boolean closed;

  public RouteWatch(
      ServiceDirectory userStatus,
      GrpcChannels channels,
      RouteCache cache,
      ScheduledExecutorService scheduler,
      Duration retry) {
    this.userStatus = userStatus;
    this.channels = channels;
    this.cache = cache;
    this.scheduler = scheduler;
    this.retry = retry;
  }

  public synchronized void start() {
    scheduler.scheduleWithFixedDelay(this::checkSilence, 1, 1, TimeUnit.SECONDS);
    subscribe();
  }

  private synchronized void checkSilence() {
    Stream stream = current;
    if (stream == null || !stream.live) {
      return;
    }
    long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stream.heardAtNanos);
    if (silentMs > SILENCE.toMillis()) {
      stream.context.cancel(null);
      ended(stream, Status.UNAVAILABLE.withDescription("silent for " + silentMs + " ms"));
    }
  }

  private synchronized void subscribe() {
    if (closed) {
      return;
    }
    Optional<ServiceEndpoint> endpoint = userStatus.pick();
    if (endpoint.isEmpty()) {
      failures.warn("no user-status instance to watch routes on; routes are not cached");
      later();
      return;
    }
    Context.CancellableContext context = Context.current().withCancellation();
    Stream stream = new Stream(endpoint.get(), context);
    current = stream;
    context.run(
        () ->
            UserStatusGrpc.newStub(channels.forEndpoint(endpoint.get()))
                .watchRoutes(WatchRoutesRequest.getDefaultInstance(), stream));
  }

  private void later() {
    try {
      scheduler.schedule(this::subscribe, retry.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("route watch not rescheduled: the scheduler is shut down");
    }
  }

  private synchronized void ended(Stream stream, Status status) {
    if (current != stream) {
      return;
    }
    cache.down();
    current = null;
    if (!closed) {
      failures.warn(
          "route watch on {} ended ({}); routes are not cached until it is back",
          stream.endpoint.id(),
          status);
      later();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    cache.down();
    if (current != null) {
      current.context.cancel(null);
      current = null;
    }
  }

  private final class Stream implements StreamObserver<RouteChanges> {
    final ServiceEndpoint endpoint;
    final Context.CancellableContext context;
    volatile boolean live;
    volatile long heardAtNanos = System.nanoTime();

    Stream(ServiceEndpoint endpoint, Context.CancellableContext context) {
      this.endpoint = endpoint;
      this.context = context;
    }

    @Override
    public void onNext(RouteChanges changes) {
      heardAtNanos = System.nanoTime();
      if (!live) {
        synchronized (RouteWatch.this) {
          if (current != this) {
            return;
          }
          live = true;
          cache.live();
        }
        log.info("route changes followed on user-status {}; routes are cached", endpoint.id());
        return;
      }
      cache.invalidate(changes.getUserIdsList());
    }

    @Override
    public void onError(Throwable t) {
      ended(this, Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended(this, Status.UNAVAILABLE.withDescription("stream completed"));
    }
  }
}
