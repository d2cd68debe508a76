package dev.switchboard.transfer.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchAnswerTest {

  @Test
  void completesOnce_inRequestOrder_whateverOrderTheItemsFinishIn() throws Exception {
    List<List<String>> completions = new CopyOnWriteArrayList<>();
    int size = 200;
    BatchAnswer<String> answer = new BatchAnswer<>(size, completions::add);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (int i = size - 1; i >= 0; i--) {
        int index = i;
        threads.execute(() -> answer.set(index, "r" + index));
      }
      threads.shutdown();
      assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      threads.shutdownNow();
    }

    assertThat(completions).hasSize(1);
    assertThat(completions.get(0)).hasSize(size).startsWith("r0", "r1").endsWith("r199");
  }

  @Test
  void anEmptyBatch_isAnsweredAtOnce() {
    List<List<String>> completions = new CopyOnWriteArrayList<>();
    new BatchAnswer<String>(0, completions::add);
    assertThat(completions).containsExactly(List.of());
  }

  @Test
  void settingAnItemTwice_isABug() {
    BatchAnswer<String> answer = new BatchAnswer<>(2, results -> {});
    answer.set(0, "a");
    assertThatThrownBy(() -> answer.set(0, "b")).isInstanceOf(IllegalStateException.class);
  }
}
