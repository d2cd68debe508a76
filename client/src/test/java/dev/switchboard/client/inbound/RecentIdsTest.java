package dev.switchboard.client.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

  @Test
  void secondAddOfAnId_isReportedAsDuplicate() {
    RecentIds ids = new RecentIds(10);
    assertThat(ids.add(7)).isTrue();
    assertThat(ids.add(7)).isFalse();
    assertThat(ids.contains(7)).isTrue();
    assertThat(ids.size()).isEqualTo(1);
  }

  @Test
  void zeroMeansNoId_andIsNeverADuplicate() {
    RecentIds ids = new RecentIds(10);
    assertThat(ids.add(0)).isTrue();
    assertThat(ids.add(0)).isTrue();
    assertThat(ids.contains(0)).isFalse();
    assertThat(ids.size()).isZero();
  }

  @Test
  void beyondCapacity_theOldestIdsAreForgottenFirst() {
    RecentIds ids = new RecentIds(3);
    ids.add(1);
    ids.add(2);
    ids.add(3);
    ids.add(4);
    assertThat(ids.contains(1)).isFalse();
    assertThat(ids.contains(2)).isTrue();
    assertThat(ids.contains(4)).isTrue();
    assertThat(ids.size()).isEqualTo(3);
  }

  @Test
  void behavesLikeABoundedFifoSet_underRandomLoad() {
    int capacity = 300;
    RecentIds ids = new RecentIds(capacity);
    ArrayDeque<Long> order = new ArrayDeque<>();
    Set<Long> reference = new HashSet<>();
    Random random = new Random(42);
    for (int i = 0; i < 50_000; i++) {
      long id = 1 + random.nextInt(2_000) * 0x10001L; // collide in the hash table on purpose
      boolean expectedNew = !reference.contains(id);
      assertThat(ids.add(id)).isEqualTo(expectedNew);
      if (expectedNew) {
        order.addLast(id);
        reference.add(id);
        if (order.size() > capacity) {
          reference.remove(order.removeFirst());
        }
      }
      long probe = 1 + random.nextInt(2_000) * 0x10001L;
      assertThat(ids.contains(probe)).isEqualTo(reference.contains(probe));
    }
    assertThat(ids.size()).isEqualTo(capacity);
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new RecentIds(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
