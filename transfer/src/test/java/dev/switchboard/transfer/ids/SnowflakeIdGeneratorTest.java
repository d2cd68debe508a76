package dev.switchboard.transfer.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnowflakeIdGeneratorTest {
  private static final long NOW = SnowflakeIdGenerator.EPOCH + 1_000_000_000L;

  @Test
  void idsFromOneGenerator_areUniqueAndStrictlyIncreasing() {
    SnowflakeIdGenerator ids = new SnowflakeIdGenerator(7, System::currentTimeMillis, 50);
    long previous = 0;
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      long id = ids.nextId();
      assertThat(id).isGreaterThan(previous);
      assertThat(seen.add(id)).isTrue();
      previous = id;
    }
  }

  @Test
  void idsFromManyThreads_areUnique() throws Exception {
    SnowflakeIdGenerator ids = new SnowflakeIdGenerator(1, System::currentTimeMillis, 50);
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < 20_000; i++) {
                  assertThat(seen.add(ids.nextId())).isTrue();
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(seen).hasSize(160_000);
  }

  @Test
  void id_carriesWorkerAndTimestamp() {
    SnowflakeIdGenerator ids = new SnowflakeIdGenerator(1023, () -> NOW, 50);
    long id = ids.nextId();
    assertThat(id).isPositive();
    assertThat(SnowflakeIdGenerator.workerOf(id)).isEqualTo(1023);
    assertThat(SnowflakeIdGenerator.timestampOf(id)).isEqualTo(NOW);
  }

  @Test
  void generatorsWithDifferentWorkers_neverCollideAtTheSameMillisecond() {
    SnowflakeIdGenerator a = new SnowflakeIdGenerator(0, () -> NOW, 50);
    SnowflakeIdGenerator b = new SnowflakeIdGenerator(1, () -> NOW, 50);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 4096; i++) {
      assertThat(seen.add(a.nextId())).isTrue();
      assertThat(seen.add(b.nextId())).isTrue();
    }
  }

  @Test
  void exhaustedMillisecond_waitsForTheNextOne() {
    AtomicLong reads = new AtomicLong();
    // The clock stays on NOW for the first 4096 reads, then moves on.
    SnowflakeIdGenerator ids =
        new SnowflakeIdGenerator(3, () -> reads.incrementAndGet() <= 4096 ? NOW : NOW + 1, 50);
    long last = 0;
    for (int i = 0; i < 4096; i++) {
      last = ids.nextId();
      assertThat(SnowflakeIdGenerator.timestampOf(last)).isEqualTo(NOW);
    }
    long next = ids.nextId();
    assertThat(next).isGreaterThan(last);
    assertThat(SnowflakeIdGenerator.timestampOf(next)).isEqualTo(NOW + 1);
  }

  @Test
  void clockStepBackWithinTolerance_keepsIdsIncreasing() {
    AtomicLong clock = new AtomicLong(NOW);
    SnowflakeIdGenerator ids = new SnowflakeIdGenerator(5, clock::get, 50);
    long before = ids.nextId();
    clock.set(NOW - 30);
    long after = ids.nextId();
    assertThat(after).isGreaterThan(before);
    assertThat(SnowflakeIdGenerator.timestampOf(after)).isEqualTo(NOW);
  }

  @Test
  void clockStepBackBeyondTolerance_refusesToIssue() {
    AtomicLong clock = new AtomicLong(NOW);
    SnowflakeIdGenerator ids = new SnowflakeIdGenerator(5, clock::get, 50);
    long before = ids.nextId();
    clock.set(NOW - 5_000);
    assertThatThrownBy(ids::nextId)
        .isInstanceOf(IdUnavailableException.class)
        .hasMessageContaining("backwards by 5000 ms");
    // Once the clock is back past the last id, issuing resumes, still increasing.
    clock.set(NOW + 1);
    assertThat(ids.nextId()).isGreaterThan(before);
  }

  @Test
  void workerIdOutOfRange_isRejected() {
    assertThatThrownBy(() -> new SnowflakeIdGenerator(1024, () -> NOW, 50))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SnowflakeIdGenerator(-1, () -> NOW, 50))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
