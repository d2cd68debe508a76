package dev.switchboard.account.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher();

  @Test
  void hash_isSaltedArgon2idThatFitsTheColumn() {
    String first = hasher.hash("correct horse battery staple");
    String second = hasher.hash("correct horse battery staple");

    assertThat(first).startsWith("$argon2id$").hasSizeLessThanOrEqualTo(100);
    assertThat(first).isNotEqualTo(second).doesNotContain("correct horse");
    assertThat(hasher.matches("correct horse battery staple", first)).isTrue();
    assertThat(hasher.matches("correct horse battery staple", second)).isTrue();
    assertThat(hasher.matches("correct horse battery stapl", first)).isFalse();
  }

  @Test
  void longPasswords_countInFull() {
    String base = "p".repeat(127);
    String hash = hasher.hash(base + "a");

    assertThat(hasher.matches(base + "a", hash)).isTrue();
    assertThat(hasher.matches(base + "b", hash)).isFalse();
  }

  @Test
  void unknownUserCheck_neverMatches() {
    assertThat(hasher.matchesNothing("dummy password for unknown users")).isFalse();
  }
}
