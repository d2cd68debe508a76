package dev.switchboard.connector.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallBatcherTest {

  /** Batch calls that stay open until the test answers them. */
  private static final class OpenCalls {
    final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    final List<CallBatcher.Answers<String>> sinks = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> ends = new CopyOnWriteArrayList<>();

    CompletableFuture<Void> call(List<Integer> items, CallBatcher.Answers<String> answers) {
      batches.add(List.copyOf(items));
      sinks.add(answers);
      CompletableFuture<Void> end = new CompletableFuture<>();
      ends.add(end);
      return end;
    }

    /** Answers every item of the batch and ends the call. */
    void answer(int batch) {
      List<Integer> items = batches.get(batch);
      for (int i = 0; i < items.size(); i++) {
        sinks.get(batch).answer(i, "r" + items.get(i));
      }
      ends.get(batch).complete(null);
    }
  }

  @Test
  void aLoneItem_isSentAtOnce() throws Exception {
    OpenCalls calls = new OpenCalls();
    CallBatcher<Integer, String> batcher = new CallBatcher<>(2, 10, calls::call);

    CompletableFuture<String> result = batcher.submit(1);

    assertThat(calls.batches).containsExactly(List.of(1));
    calls.answer(0);
    assertThat(result.get(1, TimeUnit.SECONDS)).isEqualTo("r1");
  }

  @Test
  void itemsArrivingWhileAllSlotsAreBusy_leaveTogether_whenOneReturns() throws Exception {
    OpenCalls calls = new OpenCalls();
    CallBatcher<Integer, String> batcher = new CallBatcher<>(2, 10, calls::call);
    batcher.submit(1);
    batcher.submit(2);
    List<CompletableFuture<String>> waiting = new ArrayList<>();
    for (int i = 3; i <= 7; i++) {
      waiting.add(batcher.submit(i));
    }
    assertThat(calls.batches).containsExactly(List.of(1), List.of(2));

    calls.answer(1);

    assertThat(calls.batches).hasSize(3);
    assertThat(calls.batches.get(2)).containsExactly(3, 4, 5, 6, 7);
    calls.answer(2);
    assertThat(waiting.get(4).get(1, TimeUnit.SECONDS)).isEqualTo("r7");
  }

  @Test
  void aBatch_neverExceedsMaxBatch() {
    OpenCalls calls = new OpenCalls();
    CallBatcher<Integer, String> batcher = new CallBatcher<>(1, 4, calls::call);
    batcher.submit(0);
    for (int i = 1; i <= 10; i++) {
      batcher.submit(i);
    }

    calls.answer(0);
    calls.answer(1);
    calls.answer(2);

    assertThat(calls.batches)
        .containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10));
  }

  @Test
  void aGroup_isNeverSplit_evenWhereItOverflowsMaxBatch() throws Exception {
    OpenCalls calls = new OpenCalls();
    CallBatcher<Integer, String> batcher = new CallBatcher<>(1, 4, calls::call);
    batcher.submit(0);
    batcher.submit(1);
    batcher.submit(2);
    List<CompletableFuture<String>> group = batcher.submitAll(List.of(3, 4, 5));
    batcher.submit(6);

    calls.answer(0);
    calls.answer(1);

    // 1, 2 and the group would be five, past 4: the group still goes whole, after 1 and 2.
    assertThat(calls.batches).containsExactly(List.of(0), List.of(1, 2, 3, 4, 5), List.of(6));
    assertThat(group.get(2).get(1, TimeUnit.SECONDS)).isEqualTo("r5");
  }

  @Test
  void submitAllOfNothing_sendsNothing() {
    OpenCalls calls = new OpenCalls();
    CallBatcher<Integer, String> batcher = new CallBatcher<>(1, 4, calls::call);

    assertThat(batcher.submitAll(List.of())).isEmpty();
    assertThat(calls.batches).isEmpty();
  }

  @Test
  void aFailedBatch_failsItsOwnItemsOnly() throws Exception {
    OpenCalls calls = new OpenCalls();
    CallBatcher<Integer, String> batcher = new CallBatcher<>(1, 10, calls::call);
    CompletableFuture<String> first = batcher.submit(1);
    CompletableFuture<String> second = batcher.submit(2);

    calls.ends.get(0).completeExceptionally(new IllegalStateException("transport down"));

    assertThatThrownBy(() -> first.get(1, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("transport down");
    assertThat(calls.batches.get(1)).containsExactly(2);
    calls.answer(1);
    assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo("r2");
  }

  @Test
  void eachItem_isAnsweredAsSoonAsItsResultArrives_notWhenTheCallEnds() throws Exception {
    OpenCalls calls = new OpenCalls();
    CallBatcher<Integer, String> batcher = new CallBatcher<>(1, 10, calls::call);
    batcher.submit(0);
    CompletableFuture<String> fast = batcher.submit(1);
    CompletableFuture<String> slow = batcher.submit(2);
    calls.answer(0);

    calls.sinks.get(1).answer(0, "r1");

    assertThat(fast.get(1, TimeUnit.SECONDS)).isEqualTo("r1");
    assertThat(slow).isNotDone();
    assertThat(calls.sinks.get(1).unanswered()).containsExactly(1);
  }

  @Test
  void anItemTheCallNeverAnswered_failsWhenTheCallEnds() {
    OpenCalls calls = new OpenCalls();
    CallBatcher<Integer, String> batcher = new CallBatcher<>(1, 10, calls::call);
    CompletableFuture<String> answered = batcher.submit(1);
    calls.sinks.get(0).answer(0, "r1");
    calls.ends.get(0).complete(null);
    CompletableFuture<String> forgotten = batcher.submit(2);

    calls.ends.get(1).complete(null);

    assertThat(answered).isCompletedWithValue("r1");
    assertThatThrownBy(() -> forgotten.get(1, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without answering");
  }

  @Test
  void aBatchCallThatThrows_failsItsItems_andTheBatcherGoesOn() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CallBatcher<Integer, String> batcher =
        new CallBatcher<>(
            1,
            10,
            (items, answers) -> {
              if (calls.getAndIncrement() == 0) {
                throw new IllegalArgumentException("no channel");
              }
              answers.answer(0, "ok");
              return CompletableFuture.completedFuture(null);
            });

    assertThatThrownBy(() -> batcher.submit(1).get(1, TimeUnit.SECONDS))
        .hasRootCauseMessage("no channel");
    assertThat(batcher.submit(2).get(1, TimeUnit.SECONDS)).isEqualTo("ok");
  }

  @Test
  void underConcurrentSubmits_everyItemGetsItsOwnResult_andSlotsAreNeverExceeded()
      throws Exception {
    int maxInFlight = 3;
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger mostOutstanding = new AtomicInteger();
    ExecutorService answerers = Executors.newFixedThreadPool(4);
    CallBatcher<Integer, String> batcher =
        new CallBatcher<>(
            maxInFlight,
            50,
            (items, answers) -> {
              mostOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
              return CompletableFuture.runAsync(
                  () -> {
                    outstanding.decrementAndGet();
                    for (int i = items.size() - 1; i >= 0; i--) {
                      answers.answer(i, "r" + items.get(i));
                    }
                  },
                  answerers);
            });
    int threads = 8;
    int perThread = 5_000;
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(threads * perThread);
    ExecutorService submitters = Executors.newFixedThreadPool(threads);
    try {
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        submitters.execute(
            () -> {
              for (int i = base; i < base + perThread; i++) {
                int item = i;
                batcher
                    .submit(item)
                    .whenComplete(
                        (result, failure) -> {
                          if (failure != null || !result.equals("r" + item)) {
                            wrong.add(item + " -> " + result + " / " + failure);
                          }
                          done.countDown();
                        });
              }
            });
      }

      assertThat(done.await(30, TimeUnit.SECONDS)).as("every item answered").isTrue();
      assertThat(wrong).isEmpty();
      assertThat(mostOutstanding.get()).isLessThanOrEqualTo(maxInFlight);
    } finally {
      submitters.shutdownNow();
      answerers.shutdownNow();
    }
  }

  @Test
  void refusesNonPositiveBounds() {
    assertThatThrownBy(() -> new CallBatcher<Integer, String>(0, 1, (items, answers) -> null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CallBatcher<Integer, String>(1, 0, (items, answers) -> null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
