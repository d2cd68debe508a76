package dev.switchboard.transfer.grpc;

import dev.switchboard.common.concurrent.DaemonThreads;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that run calls off the transport (checks that may read MySQL on a cache miss, route
 * lookups, relation invalidation), bounded in threads and in queued calls. Messages and receipts do
 * not wait for sequencing or Kafka here; see {@code ChatIntake#send}.
 *
 * <p>The gRPC server itself runs on a direct executor: each handler only hands its work to this
 * pool, which is where overload becomes visible. When every thread is busy and the queue is full a
 * call is refused at once with RESOURCE_EXHAUSTED (the connector tries another instance), instead
 * of queueing without bound and answering long after the caller's deadline. Work runs in the call's
 * gRPC {@link Context}, so it can see whether the caller is still there.
 */
public final class HandlerPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HandlerPool.class);

  private final ThreadPoolExecutor executor;
  private final int threads;
  private final int queueCapacity;
  private final Runnable onRejected;

  /**
   * @param onRejected counts refusals (metrics)
   */
  public HandlerPool(int threads, int queueCapacity, String threadName, Runnable onRejected) {
    this.threads = threads;
    this.queueCapacity = queueCapacity;
    this.onRejected = onRejected;
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            DaemonThreads.named(threadName),
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Runs {@code work} on the pool in the current gRPC context, or answers {@code responses} with
   * RESOURCE_EXHAUSTED (UNAVAILABLE once closed) if it cannot be queued.
   */
  public void run(StreamObserver<?> responses, Runnable work) {
    Runnable guarded =
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            // On gRPC's own executor the server would close the call; here nobody would.
            log.error("unexpected failure in a call handler", e);
            try {
              responses.onError(
                  Status.INTERNAL
                      .withDescription("unexpected error")
                      .withCause(e)
                      .asRuntimeException());
            } catch (RuntimeException alreadyAnswered) {
              log.debug("call was already answered: {}", alreadyAnswered.toString());
            }
          }
        };
    Optional<Status> refusal = tryRun(guarded);
    refusal.ifPresent(status -> responses.onError(status.asRuntimeException()));
  }

  /**
   * Runs {@code work} on the pool in the current gRPC context; {@code work} must not throw. Empty
   * when it was queued, else the status the call should be refused with: RESOURCE_EXHAUSTED when
   * overloaded, UNAVAILABLE once closed.
   */
  public Optional<Status> tryRun(Runnable work) {
    try {
      executor.execute(Context.current().wrap(work));
      return Optional.empty();
    } catch (RejectedExecutionException e) {
      if (executor.isShutdown()) {
        return Optional.of(Status.UNAVAILABLE.withDescription("transfer is shutting down"));
      }
      onRejected.run();
      return Optional.of(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "transfer overloaded: all "
                  + threads
                  + " handler threads busy and "
                  + queueCapacity
                  + " calls queued; retry on another instance"));
    }
  }

  /** Calls queued, not yet running. */
  public int queued() {
    return executor.getQueue().size();
  }

  /** Lets queued and running work finish for up to {@code timeout}, then interrupts it. */
  public void close(Duration timeout) throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      executor.shutdownNow();
    }
  }

  @Override
  public void close() throws InterruptedException {
    close(Duration.ofSeconds(2));
  }
}
