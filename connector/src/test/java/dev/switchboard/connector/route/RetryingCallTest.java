package dev.switchboard.connector.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.discovery.ServiceEndpoint;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryingCallTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<ServiceEndpoint> live =
      new ArrayList<>(List.of(endpoint("t1"), endpoint("t2")));
  private final List<String> calledIds = new ArrayList<>();

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
  }

  @Test
  void transportFailure_isRetriedOnAnotherInstance() throws Exception {
    RetryingCall call = retrying(3);

    CompletableFuture<String> result =
        call.call(
            endpoint -> {
              calledIds.add(endpoint.id());
              return endpoint.id().equals("t1")
                  ? CompletableFuture.failedFuture(Status.UNAVAILABLE.asRuntimeException())
                  : CompletableFuture.completedFuture("answer from " + endpoint.id());
            });

    assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("answer from t2");
    assertThat(calledIds).containsExactly("t1", "t2");
  }

  @Test
  void deadlineExceeded_isRetriedToo() throws Exception {
    RetryingCall call = retrying(3);
    CompletableFuture<String> result =
        call.call(
            endpoint -> {
              calledIds.add(endpoint.id());
              return calledIds.size() == 1
                  ? CompletableFuture.failedFuture(Status.DEADLINE_EXCEEDED.asRuntimeException())
                  : CompletableFuture.completedFuture("ok");
            });

    assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(calledIds).hasSize(2);
  }

  @Test
  void afterTheLastAttempt_theLastFailureIsReturned() {
    RetryingCall call = retrying(3);

    CompletableFuture<String> result =
        call.call(
            endpoint -> {
              calledIds.add(endpoint.id());
              return CompletableFuture.failedFuture(
                  Status.UNAVAILABLE
                      .withDescription("attempt " + calledIds.size())
                      .asRuntimeException());
            });

    assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("attempt 3");
    // all instances tried before any is tried again
    assertThat(calledIds).hasSize(3);
    assertThat(calledIds.subList(0, 2)).containsExactlyInAnyOrder("t1", "t2");
  }

  @Test
  void anAnswerOfTheService_isNotRetried() {
    RetryingCall call = retrying(3);

    CompletableFuture<String> result =
        call.call(
            endpoint -> {
              calledIds.add(endpoint.id());
              return CompletableFuture.failedFuture(Status.INVALID_ARGUMENT.asRuntimeException());
            });

    assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
        .hasMessageContaining("INVALID_ARGUMENT");
    assertThat(calledIds).hasSize(1);
  }

  @Test
  void noLiveInstance_failsWithNoInstanceException() {
    live.clear();

    CompletableFuture<String> result =
        retrying(3).call(endpoint -> CompletableFuture.completedFuture("x"));

    assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(NoInstanceException.class)
        .hasMessageContaining("no transfer instance");
    assertThat(RetryingCall.isTransportFailure(result.handle((v, e) -> e).join())).isTrue();
  }

  @Test
  void anAttemptThatThrows_isAFailureNotACrash() {
    CompletableFuture<String> result =
        retrying(1)
            .call(
                endpoint -> {
                  throw new IllegalStateException("bug");
                });

    assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).hasMessageContaining("bug");
  }

  private RetryingCall retrying(int attempts) {
    EndpointPicker picker =
        avoid -> {
          List<ServiceEndpoint> fresh = live.stream().filter(e -> !avoid.contains(e.id())).toList();
          if (!fresh.isEmpty()) {
            return Optional.of(fresh.get(0));
          }
          return live.isEmpty() ? Optional.empty() : Optional.of(live.get(0));
        };
    return new RetryingCall("transfer", picker, attempts, Duration.ofMillis(10), scheduler);
  }

  private static ServiceEndpoint endpoint(String id) {
    return new ServiceEndpoint("transfer", id, "127.0.0.1", 1, Map.of());
  }
}
