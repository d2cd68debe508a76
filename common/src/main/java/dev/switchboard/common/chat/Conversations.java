package dev.switchboard.common.chat;

/** Conversation ids. A one-to-one conversation's id is derived from its two members. */
public final class Conversations {
  private static final String SINGLE_PREFIX = "s_";

  private Conversations() {}

  /** {@code s_<smaller id>_<larger id>}: the same for both members, whoever writes first. */
  public static String single(long a, long b) {
    if (a <= 0 || b <= 0) {
      throw new IllegalArgumentException("user ids must be positive: " + a + ", " + b);
    }
    return SINGLE_PREFIX + Math.min(a, b) + "_" + Math.max(a, b);
  }

  /**
   * The other member of a one-to-one conversation as seen by {@code self}, or -1 when the id is not
   * a one-to-one conversation that {@code self} belongs to.
   */
  public static long peerOf(String conversationId, long self) {
    if (conversationId == null || !conversationId.startsWith(SINGLE_PREFIX)) {
      return -1;
    }
    String[] parts = conversationId.substring(SINGLE_PREFIX.length()).split("_", -1);
    if (parts.length != 2) {
      return -1;
    }
    try {
      long a = Long.parseLong(parts[0]);
      long b = Long.parseLong(parts[1]);
      if (a <= 0 || b <= 0 || a > b || !single(a, b).equals(conversationId)) {
        return -1;
      }
      if (a == self) {
        return b;
      }
      return b == self ? a : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
