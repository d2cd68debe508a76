package dev.switchboard.connector.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.connector.ConnectorMetrics;
import dev.switchboard.connector.route.DeliveryCursor.Advance;
import dev.switchboard.connector.session.SessionTable;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CursorWriterTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RecordingStore store = new RecordingStore();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private CursorWriter writer(Duration interval) {
    return new CursorWriter(
        store, scheduler, interval, new ConnectorMetrics(meters, new SessionTable()));
  }

  @Test
  void keepsTheHighestWatermarkPerDeviceAndConversation() {
    CompletableFuture<Void> first = store.hold();
    CursorWriter writer = writer(Duration.ZERO);
    writer.delivered(7, "phone", "s_7_8", 1);
    await().until(() -> store.calls().size() == 1);

    writer.delivered(7, "phone", "s_7_8", 5);
    writer.delivered(7, "phone", "s_7_8", 3); // late and lower: ignored
    writer.delivered(7, "laptop", "s_7_8", 2);
    writer.delivered(7, "phone", "s_7_9", 4);
    first.complete(null);

    await().until(() -> store.calls().size() == 2);
    assertThat(store.calls().get(1))
        .containsExactlyInAnyOrder(
            new Advance(7, "phone", "s_7_8", 5),
            new Advance(7, "laptop", "s_7_8", 2),
            new Advance(7, "phone", "s_7_9", 4));
    await().until(() -> ok() == 4);
    assertThat(writer.pendingCount()).isZero();
  }

  @Test
  void close_writesWhatIsPending_inBatches() {
    CursorWriter writer = writer(Duration.ofHours(1)); // only full batches may skip the wait
    writer.delivered(1, "d", "c", 1);
    for (int device = 0; device < CursorWriter.MAX_BATCH + 10; device++) {
      writer.delivered(1, "d" + device, "c", 1);
    }
    assertThat(store.calls()).as("the first write waits for the interval").isEmpty();

    writer.close(Duration.ofSeconds(5));
    assertThat(store.calls()).allSatisfy(call -> assertThat(call).hasSizeLessThanOrEqualTo(500));
    assertThat(store.calls().stream().mapToInt(List::size).sum())
        .isEqualTo(CursorWriter.MAX_BATCH + 11);
  }

  @Test
  void fullBatch_isFollowedAtOnceByTheRest() {
    CompletableFuture<Void> first = store.hold();
    CursorWriter writer = writer(Duration.ofMillis(50));
    for (int device = 0; device < CursorWriter.MAX_BATCH + 10; device++) {
      writer.delivered(1, "d" + device, "c", 1);
    }
    await().until(() -> store.calls().size() == 1);
    assertThat(store.calls().get(0)).hasSize(CursorWriter.MAX_BATCH);

    first.complete(null);
    await().until(() -> store.calls().size() == 2);
    assertThat(store.calls().get(1)).hasSize(10);
  }

  @Test
  void unreachableStore_getsTheWatermarksAgain_otherFailuresDropThem() {
    store.failNext(Status.UNAVAILABLE);
    CursorWriter writer = writer(Duration.ZERO);
    writer.delivered(7, "phone", "s_7_8", 3);
    await().until(() -> store.calls().size() == 2);
    assertThat(store.calls().get(1)).containsExactly(new Advance(7, "phone", "s_7_8", 3));

    store.failNext(Status.INTERNAL);
    writer.delivered(7, "phone", "s_7_8", 4);
    await().until(() -> failed() == 2);
    assertThat(writer.pendingCount()).isZero();
    assertThat(store.calls()).hasSize(3);
  }

  @Test
  void discard_forgetsWhatIsPending() {
    CursorWriter writer = writer(Duration.ofHours(1));
    writer.delivered(7, "phone", "s_7_8", 3);
    writer.discard();
    writer.delivered(7, "phone", "s_7_8", 4);

    writer.close(Duration.ofSeconds(1));
    assertThat(store.calls()).isEmpty();
  }

  private double ok() {
    return meters.get("connector.cursor.advances").tag("outcome", "ok").counter().count();
  }

  private double failed() {
    return meters.get("connector.cursor.advances").tag("outcome", "failed").counter().count();
  }

  /** Records each call; answers it at once, or as {@link #hold} / {@link #failNext} say. */
  private static final class RecordingStore implements DeliveryCursor {
    private final List<List<Advance>> calls = new ArrayList<>();
    private CompletableFuture<Void> held;
    private Status failure;

    synchronized CompletableFuture<Void> hold() {
      held = new CompletableFuture<>();
      return held;
    }

    synchronized void failNext(Status status) {
      failure = status;
    }

    synchronized List<List<Advance>> calls() {
      return List.copyOf(calls);
    }

    @Override
    public synchronized CompletableFuture<Void> advanceAll(List<Advance> advances) {
      calls.add(List.copyOf(advances));
      if (failure != null) {
        Status status = failure;
        failure = null;
        return CompletableFuture.failedFuture(status.asRuntimeException());
      }
      if (held != null) {
        CompletableFuture<Void> answer = held;
        held = null;
        return answer;
      }
      return CompletableFuture.completedFuture(null);
    }
  }
}
