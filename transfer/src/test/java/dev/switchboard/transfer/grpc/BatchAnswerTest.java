package dev.switchboard.transfer.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchAnswerTest {

  /** Fails the test if two threads are inside it at once, as a real call observer would break. */
  private static final class OneAtATime implements StreamObserver<String> {
    final List<String> results = new CopyOnWriteArrayList<>();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger completions = new AtomicInteger();
    volatile boolean overlapped;
    volatile boolean resultAfterCompletion;

    @Override
    public void onNext(String value) {
      if (inside.incrementAndGet() > 1) {
        overlapped = true;
      }
      if (completions.get() > 0) {
        resultAfterCompletion = true;
      }
      results.add(value);
      inside.decrementAndGet();
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {
      completions.incrementAndGet();
    }
  }

  @Test
  void everyResultGoesOut_oneAtATime_andTheCallCompletesOnceAfterTheLast() throws Exception {
    OneAtATime responses = new OneAtATime();
    int size = 500;
    BatchAnswer<String> answer = new BatchAnswer<>(size, responses);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (int i = 0; i < size; i++) {
        int index = i;
        threads.execute(() -> answer.send("r" + index));
      }
      threads.shutdown();
      assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      threads.shutdownNow();
    }

    assertThat(responses.results).hasSize(size).doesNotHaveDuplicates();
    assertThat(responses.completions.get()).isEqualTo(1);
    assertThat(responses.overlapped).isFalse();
    assertThat(responses.resultAfterCompletion).isFalse();
  }

  @Test
  void anEmptyBatch_completesAtOnce() {
    OneAtATime responses = new OneAtATime();
    new BatchAnswer<String>(0, responses);
    assertThat(responses.completions.get()).isEqualTo(1);
  }
}
