package dev.switchboard.offlinestore.store;

/**
 * The shape of a conversation id this store accepts: what fits the {@code VARCHAR(80) CHARACTER SET
 * ascii} columns ("s_1_2" for single conversations, group ids alike). Checked before anything is
 * written, so a bad id is refused as input instead of failing a whole consumer batch.
 */
public final class ConversationIds {
  public static final int MAX_LENGTH = 80;

  private ConversationIds() {}

  /** 1..80 printable ASCII characters without spaces. */
  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
