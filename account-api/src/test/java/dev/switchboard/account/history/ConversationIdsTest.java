package dev.switchboard.account.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConversationIdsTest {

  @Test
  void canonicalSingleAndOtherPrintableIds_areWellFormed() {
    assertThat(ConversationIds.problem("s_1_2")).isEmpty();
    assertThat(ConversationIds.problem("s_7_7")).isEmpty();
    assertThat(ConversationIds.problem("s_9_10")).isEmpty();
    assertThat(ConversationIds.problem("g_team-42")).isEmpty();
    assertThat(ConversationIds.problem("x".repeat(80))).isEmpty();
  }

  @Test
  void singleIdsThatAreNotCanonical_areMalformed() {
    assertThat(ConversationIds.problem("s_2_1")).isPresent();
    assertThat(ConversationIds.problem("s_0_1")).isPresent();
    assertThat(ConversationIds.problem("s_-1_2")).isPresent();
    assertThat(ConversationIds.problem("s_01_2")).isPresent();
    assertThat(ConversationIds.problem("s_1_2_3")).isPresent();
    assertThat(ConversationIds.problem("s_1")).isPresent();
    assertThat(ConversationIds.problem("s_a_b")).isPresent();
    assertThat(ConversationIds.problem("s_1_99999999999999999999")).isPresent();
  }

  @Test
  void emptyTooLongOrNonPrintableIds_areMalformed() {
    assertThat(ConversationIds.problem("")).isPresent();
    assertThat(ConversationIds.problem("x".repeat(81))).isPresent();
    assertThat(ConversationIds.problem("g team")).isPresent();
    assertThat(ConversationIds.problem("g_\u00e9t\u00e9")).isPresent();
    assertThat(ConversationIds.problem("g_\n")).isPresent();
  }
}
