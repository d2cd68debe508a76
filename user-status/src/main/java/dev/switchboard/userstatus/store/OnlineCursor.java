package dev.switchboard.userstatus.store;

/**
 * Position in the online list: the last user returned and its score (route expiry) when it was
 * returned. Encoded as {@code <score>:<userId>} and opaque to callers.
 *
 * <p>Keyset paging on (score, member), the order of the sorted set, instead of an offset: users
 * that go offline between pages do not shift the remaining ones, so no online user is skipped.
 * Renewals only raise scores, so a user not listed yet stays ahead of the cursor; a user already
 * listed may appear again on a later page after a renewal (callers de-duplicate).
 */
public record OnlineCursor(long score, long userId) {

  public String encode() {
    return score + ":" + userId;
  }

  /**
   * @throws IllegalArgumentException if {@code text} was not produced by {@link #encode()}
   */
  public static OnlineCursor parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("malformed cursor");
    }
    try {
      long score = Long.parseLong(text.substring(0, colon));
      long userId = Long.parseLong(text.substring(colon + 1));
      if (score < 0 || userId <= 0) {
        throw new IllegalArgumentException("malformed cursor");
      }
      return new OnlineCursor(score, userId);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed cursor");
    }
  }

  /** The sorted-set member for the user, as Redis compares it (bytewise). */
  String member() {
    return Long.toString(userId);
  }
}
