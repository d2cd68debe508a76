package dev.switchboard.transfer.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxRowTest {
  @Test
  void theRowCanGo_onlyWithTheLastOfItsMessages() {
    OutboxRow row = new OutboxRow(42, 3);
    assertThat(row.confirmOne()).isFalse();
    assertThat(row.confirmOne()).isFalse();
    assertThat(row.confirmOne()).isTrue();
    assertThat(row.id()).isEqualTo(42);
  }

  @Test
  void aRowNamesAtLeastOneMessage() {
    assertThatThrownBy(() -> new OutboxRow(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ids_packIntoEightBytesEach_andBackInOrder() {
    List<Long> ids = List.of(3L, Long.MAX_VALUE, 1L << 40, 0L);
    byte[] packed = OutboxRow.pack(ids);
    assertThat(packed).hasSize(32);
    assertThat(OutboxRow.unpack(packed)).containsExactlyElementsOf(ids);
    // Big-endian, as the V3 migration writes them with UNHEX(LPAD(HEX(msg_id), 16, '0')).
    assertThat(OutboxRow.pack(List.of(3L))).containsExactly(0, 0, 0, 0, 0, 0, 0, 3);
  }

  @Test
  void aColumnThatIsNotWholeIds_isRefused() {
    assertThatThrownBy(() -> OutboxRow.unpack(new byte[12]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12 bytes");
  }
}
