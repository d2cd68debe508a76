package dev.switchboard.client;

/**
 * Conversation ids as the server forms them. A single (1:1) conversation is {@code "s_<smaller user
 * id>_<larger user id>"}; the SDK derives the peer from it for READ receipts.
 */
public final class ConversationIds {

  private static final String SINGLE_PREFIX = "s_";

  private ConversationIds() {}

  /** The id of the single conversation between {@code a} and {@code b}. */
  public static String single(long a, long b) {
    return SINGLE_PREFIX + Math.min(a, b) + "_" + Math.max(a, b);
  }

  public static boolean isSingle(String conversationId) {
    return conversationId != null && conversationId.startsWith(SINGLE_PREFIX);
  }

  /**
   * The other participant of the single conversation {@code conversationId} as seen by {@code self}
   * ({@code self} itself for a note-to-self conversation).
   *
   * @throws IllegalArgumentException if the id is not a well-formed single conversation id or
   *     {@code self} is not one of its two users
   */
  public static long peerOf(String conversationId, long self) {
    if (!isSingle(conversationId)) {
      throw new IllegalArgumentException("not a single conversation id: " + conversationId);
    }
    String rest = conversationId.substring(SINGLE_PREFIX.length());
    int sep = rest.indexOf('_');
    long a;
    long b;
    try {
      if (sep <= 0 || sep == rest.length() - 1) {
        throw new NumberFormatException();
      }
      a = Long.parseLong(rest.substring(0, sep));
      b = Long.parseLong(rest.substring(sep + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a single conversation id: " + conversationId);
    }
    if (a == self) {
      return b;
    }
    if (b == self) {
      return a;
    }
    throw new IllegalArgumentException(
        "user " + self + " is not a participant of conversation " + conversationId);
  }
}
