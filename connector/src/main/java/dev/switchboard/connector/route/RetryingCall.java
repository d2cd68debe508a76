package dev.switchboard.connector.route;

import dev.switchboard.common.concurrent.Futures;
import dev.switchboard.common.discovery.ServiceEndpoint;
import io.grpc.Status;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs an idempotent call against one instance of a service and, on a transport failure (gRPC
 * UNAVAILABLE or DEADLINE_EXCEEDED), again on another instance after a backoff. Other failures are
 * answers from the service and are passed on at once. Waits are scheduled, never slept.
 */
public final class RetryingCall {
  private final String serviceName;
  private final EndpointPicker picker;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final ScheduledExecutorService scheduler;

  public RetryingCall(
      String serviceName,
      EndpointPicker picker,
      int maxAttempts,
      Duration initialBackoff,
      ScheduledExecutorService scheduler) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.serviceName = serviceName;
    this.picker = picker;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.scheduler = scheduler;
  }

  /**
   * The first successful result, or the last failure; {@link NoInstanceException} when no instance
   * was live to begin with.
   */
  public <T> CompletableFuture<T> call(Function<ServiceEndpoint, CompletableFuture<T>> attempt) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(1, new HashSet<>(), attempt, result, null);
    return result;
  }

  private <T> void attempt(
      int number,
      Set<String> tried,
      Function<ServiceEndpoint, CompletableFuture<T>> attempt,
      CompletableFuture<T> result,
      Throwable previousFailure) {
    Optional<ServiceEndpoint> endpoint = picker.pick(tried);
    if (endpoint.isEmpty()) {
      result.completeExceptionally(
          previousFailure != null ? previousFailure : new NoInstanceException(serviceName));
      return;
    }
    tried.add(endpoint.get().id());
    CompletableFuture<T> call;
    try {
      call = attempt.apply(endpoint.get());
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
            return;
          }
          Throwable cause = unwrap(failure);
          if (!isTransportFailure(cause) || number >= maxAttempts) {
            result.completeExceptionally(cause);
            return;
          }
          long delayMs = initialBackoff.toMillis() << (number - 1);
          try {
            scheduler.schedule(
                () -> attempt(number + 1, tried, attempt, result, cause),
                delayMs,
                TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException e) {
            result.completeExceptionally(cause); // shutting down
          }
        });
  }

  /** The service could not be reached or did not answer in time: worth another instance. */
  public static boolean isTransportFailure(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof NoInstanceException) {
      return true;
    }
    Status.Code code = Status.fromThrowable(cause).getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }

  /** The cause under CompletableFuture's wrappers. */
  public static Throwable unwrap(Throwable failure) {
    return Futures.unwrap(failure);
  }
}
