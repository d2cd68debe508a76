package dev.switchboard.offlinestore.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyncCursorTest {

  @Test
  void encodedCursor_parsesBackToTheSamePosition() {
    SyncCursor cursor = new SyncCursor(42, "s_1_2", 17);

    assertThat(SyncCursor.parse(cursor.encode())).isEqualTo(cursor);
  }

  @Test
  void startOfAPass_hasNoConversationYet() {
    SyncCursor start = SyncCursor.start(9);

    assertThat(SyncCursor.parse(start.encode())).isEqualTo(new SyncCursor(9, "", 0));
  }

  @Test
  void conversationIdWithDots_survivesTheRoundTrip() {
    SyncCursor cursor = new SyncCursor(0, "g_team.ops", 3);

    assertThat(SyncCursor.parse(cursor.encode())).isEqualTo(cursor);
  }

  @Test
  void encodedCursor_isUrlSafeText() {
    assertThat(new SyncCursor(1, "s_1_2", 2).encode()).matches("[A-Za-z0-9_-]+");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v1.1.2.s_1_2", // not encoded
        "v2.1.2.s_1_2", // unknown version
        "v1.x.2.s_1_2",
        "v1.1.-2.s_1_2",
        "v1.1.2",
        "v1.1.2.has space",
        "v1.99999999999999999999.2.s_1_2"
      })
  void anythingElse_isMalformed(String text) {
    String encoded =
        text.startsWith("v1.1.2.s")
            ? text
            : Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> SyncCursor.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("malformed cursor");
  }

  @Test
  void notBase64_isMalformed() {
    assertThatThrownBy(() -> SyncCursor.parse("%%%"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("malformed cursor");
  }
}
