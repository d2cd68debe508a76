package dev.switchboard.userstatus.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteChangeFeedTest {

  @Test
  void aMessageIsTheCommaSeparatedIdsTheScriptsPublish() {
    assertThat(RouteChangeFeed.parse("42")).containsExactly(42L);
    assertThat(RouteChangeFeed.parse("7,8,9007199254740993"))
        .containsExactly(7L, 8L, 9007199254740993L);
  }

  @Test
  void aMessageWithAnyPartThatIsNotAnId_isUnreadableAsAWhole() {
    assertThat(RouteChangeFeed.parse("")).isEmpty();
    assertThat(RouteChangeFeed.parse("7,,8")).isEmpty();
    assertThat(RouteChangeFeed.parse("7,hello")).isEmpty();
  }
}
