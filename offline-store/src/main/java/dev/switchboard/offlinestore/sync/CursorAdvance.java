package dev.switchboard.offlinestore.sync;

/**
 * The outcome of AdvanceCursor.
 *
 * @param member false if the user has no such conversation (nothing recorded)
 * @param deliveredSeq the device's cursor afterwards
 */
public record CursorAdvance(boolean member, long deliveredSeq) {
  public static CursorAdvance notMember() {
    return new CursorAdvance(false, 0);
  }
}
