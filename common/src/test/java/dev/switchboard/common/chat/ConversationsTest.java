package dev.switchboard.common.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConversationsTest {
  @Test
  void singleConversation_isTheSameForBothMembers() {
    assertThat(Conversations.single(7, 3)).isEqualTo("s_3_7").isEqualTo(Conversations.single(3, 7));
  }

  @Test
  void peerOf_namesTheOtherMember_onlyForAMember() {
    assertThat(Conversations.peerOf("s_3_7", 3)).isEqualTo(7);
    assertThat(Conversations.peerOf("s_3_7", 7)).isEqualTo(3);
    assertThat(Conversations.peerOf("s_3_7", 5)).isEqualTo(-1);
  }

  @Test
  void peerOf_refusesIdsThatAreNotCanonical() {
    for (String bad :
        new String[] {null, "", "g_1", "s_7_3", "s_3", "s_3_7_9", "s_x_7", "s_03_7"}) {
      assertThat(Conversations.peerOf(bad, 3)).as(String.valueOf(bad)).isEqualTo(-1);
    }
  }

  @Test
  void nonPositiveIds_areRefused() {
    assertThatThrownBy(() -> Conversations.single(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
