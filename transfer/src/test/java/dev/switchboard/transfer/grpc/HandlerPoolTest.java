package dev.switchboard.transfer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandlerPoolTest {
  private final AtomicInteger rejected = new AtomicInteger();
  private final HandlerPool pool = new HandlerPool(1, 1, "test-handler", rejected::incrementAndGet);

  /** Records the error a handler would have answered. */
  private static final class Answer implements StreamObserver<Object> {
    final AtomicReference<Status> error = new AtomicReference<>();

    @Override
    public void onNext(Object value) {}

    @Override
    public void onError(Throwable t) {
      error.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {}
  }

  @AfterEach
  void close() throws InterruptedException {
    pool.close(Duration.ofSeconds(1));
  }

  @Test
  void saturated_refusesAtOnceWithResourceExhausted() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean queuedRan = new AtomicBoolean();
    Answer first = new Answer();
    Answer queued = new Answer();
    Answer refused = new Answer();

    pool.run(
        first,
        () -> {
          running.countDown();
          awaitQuietly(release);
        });
    running.await();
    pool.run(queued, () -> queuedRan.set(true));
    pool.run(refused, () -> {});

    assertThat(refused.error.get()).isNotNull();
    assertThat(refused.error.get().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.error.get().getDescription()).contains("1 handler threads busy");
    assertThat(rejected).hasValue(1);
    assertThat(queued.error.get()).isNull();

    release.countDown();
    await().atMost(Duration.ofSeconds(5)).untilTrue(queuedRan);
    assertThat(first.error.get()).isNull();
  }

  @Test
  void work_runsInTheCallersContext_soItSeesACancellation() throws Exception {
    Context.CancellableContext call = Context.current().withCancellation();
    call.cancel(null);
    AtomicReference<Boolean> sawCancelled = new AtomicReference<>();
    call.run(() -> pool.run(new Answer(), () -> sawCancelled.set(Context.current().isCancelled())));
    await().atMost(Duration.ofSeconds(5)).until(() -> sawCancelled.get() != null);
    assertThat(sawCancelled.get()).isTrue();
  }

  @Test
  void workThatThrows_answersInternal_insteadOfLeavingTheCallHanging() {
    Answer answer = new Answer();
    pool.run(
        answer,
        () -> {
          throw new IllegalStateException("bug");
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> answer.error.get() != null);
    assertThat(answer.error.get().getCode()).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void afterClose_callsAreUnavailableNotExhausted() throws Exception {
    pool.close(Duration.ofSeconds(1));
    Answer answer = new Answer();
    pool.run(answer, () -> {});
    assertThat(answer.error.get().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(rejected).hasValue(0);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
