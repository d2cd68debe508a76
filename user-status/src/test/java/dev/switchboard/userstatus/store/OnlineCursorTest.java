package dev.switchboard.userstatus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnlineCursorTest {

  @Test
  void parse_readsBackWhatEncodeWrote() {
    OnlineCursor cursor = new OnlineCursor(1_700_000_000_123L, 42);

    assertThat(cursor.encode()).isEqualTo("1700000000123:42");
    assertThat(OnlineCursor.parse(cursor.encode())).isEqualTo(cursor);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":", "123", "123:", ":42", "abc:42", "123:abc", "-1:42", "123:0"})
  void parse_ofSomethingElse_isRejected(String text) {
    assertThatThrownBy(() -> OnlineCursor.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
