package dev.switchboard.account.history;

import dev.switchboard.common.chat.Conversations;
import java.util.Optional;

/**
 * Which conversation ids the history endpoint accepts. Any id is at most what offline-store stores
 * ({@code VARCHAR(80) CHARACTER SET ascii}: 1..80 printable ASCII characters, no spaces); an id
 * with the single prefix {@code s_} must moreover be the canonical id of a one-to-one conversation
 * ({@code s_<smaller>_<larger>}), because no other spelling ever names one.
 */
final class ConversationIds {
  static final int MAX_LENGTH = 80;

  private static final String SINGLE_PREFIX = "s_";

  private ConversationIds() {}

  /** Why the id can name no conversation, or empty when it is well formed. */
  static Optional<String> problem(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return Optional.of("must be 1.." + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return Optional.of("must be printable ASCII without spaces");
      }
    }
    if (isSingle(id) && !isCanonicalSingle(id)) {
      return Optional.of("a one-to-one conversation id is s_<smaller user id>_<larger user id>");
    }
    return Optional.empty();
  }

  /** Whether the id is of the one-to-one kind, whose members the id itself names. */
  static boolean isSingle(String id) {
    return id.startsWith(SINGLE_PREFIX);
  }

  private static boolean isCanonicalSingle(String id) {
    String[] parts = id.substring(SINGLE_PREFIX.length()).split("_", -1);
    if (parts.length != 2) {
      return false;
    }
    try {
      long a = Long.parseLong(parts[0]);
      long b = Long.parseLong(parts[1]);
      return a > 0 && b > 0 && Conversations.single(a, b).equals(id);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
