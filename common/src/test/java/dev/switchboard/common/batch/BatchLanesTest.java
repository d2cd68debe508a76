package dev.switchboard.common.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchLanesTest {

  @Test
  void itemsQueuedWhileALaneIsBusy_areServedTogether_inOrder() throws Exception {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    CountDownLatch firstMayFinish = new CountDownLatch(1);
    try (BatchLanes<Integer> lanes =
        new BatchLanes<>(
            "test-lane",
            1,
            100,
            batch -> {
              batches.add(List.copyOf(batch));
              if (batches.size() == 1) {
                waitFor(firstMayFinish);
              }
            },
            (batch, e) -> {})) {
      lanes.submit(0, 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1);
      for (int i = 2; i <= 5; i++) {
        lanes.submit(0, i);
      }
      firstMayFinish.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 2);
      assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4, 5));
    }
  }

  @Test
  void aHandlerThatThrows_handsItsBatchToOnUnexpected_andTheLaneGoesOn() {
    List<Integer> failed = new CopyOnWriteArrayList<>();
    List<Integer> served = new CopyOnWriteArrayList<>();
    try (BatchLanes<Integer> lanes =
        new BatchLanes<>(
            "test-lane",
            2,
            10,
            batch -> {
              if (batch.contains(7)) {
                throw new IllegalStateException("boom");
              }
              served.addAll(batch);
            },
            (batch, e) -> failed.addAll(batch))) {
      lanes.submit(1, 7);
      await().atMost(Duration.ofSeconds(5)).until(() -> failed.contains(7));
      lanes.submit(1, 8);
      await().atMost(Duration.ofSeconds(5)).until(() -> served.contains(8));
    }
  }

  @Test
  void afterClose_submitIsRefused_andWhatWasQueuedIsReturned() {
    CountDownLatch never = new CountDownLatch(1);
    List<Integer> started = new CopyOnWriteArrayList<>();
    BatchLanes<Integer> lanes =
        new BatchLanes<>(
            "test-lane",
            1,
            1,
            batch -> {
              started.addAll(batch);
              waitFor(never);
            },
            (batch, e) -> {});
    lanes.submit(0, 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> started.contains(1));
    lanes.submit(0, 2);
    List<Integer> left = new ArrayList<>(lanes.close(Duration.ofSeconds(1)));
    assertThat(left).containsExactly(2);
    assertThat(lanes.submit(0, 3)).isFalse();
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
