package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConversationIdsTest {

  @Test
  void single_putsTheSmallerIdFirst() {
    assertThat(ConversationIds.single(1002, 1001)).isEqualTo("s_1001_1002");
    assertThat(ConversationIds.single(1001, 1002)).isEqualTo("s_1001_1002");
  }

  @Test
  void peerOf_isTheOtherUser_whicheverSideSelfIsOn() {
    assertThat(ConversationIds.peerOf("s_1001_1002", 1001)).isEqualTo(1002);
    assertThat(ConversationIds.peerOf("s_1001_1002", 1002)).isEqualTo(1001);
  }

  @Test
  void peerOf_noteToSelf_isSelf() {
    assertThat(ConversationIds.peerOf("s_7_7", 7)).isEqualTo(7);
  }

  @Test
  void peerOf_rejectsAConversationSelfIsNotIn() {
    assertThatThrownBy(() -> ConversationIds.peerOf("s_1_2", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a participant");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "g_12", "s_", "s_1", "s_1_", "s__2", "s_a_b", "s_1_2_3", "x_1_2"})
  void peerOf_rejectsMalformedIds(String id) {
    assertThatThrownBy(() -> ConversationIds.peerOf(id, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
