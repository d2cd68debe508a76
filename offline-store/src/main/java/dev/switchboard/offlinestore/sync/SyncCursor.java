package dev.switchboard.offlinestore.sync;

import dev.switchboard.offlinestore.store.ConversationIds;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A position inside one sync pass. Callers see it as an opaque string; inside it is the base64url
 * (no padding) encoding of {@code v1.<receiptSeq>.<seq>.<conversationId>}:
 *
 * <ul>
 *   <li>{@code receiptSeq}: the receipts of the user up to this user_seq were returned;
 *   <li>{@code conversationId}, {@code seq}: the user's conversations ordered before {@code
 *       conversationId} were covered, and in {@code conversationId} everything up to {@code seq}
 *       was returned. An empty conversation id is the start of the pass.
 * </ul>
 *
 * <p>Keyset positions instead of offsets: messages stored while a client pages (or cursors it
 * advances) never shift what the next page returns, so nothing is skipped. A pass starts from the
 * device's durable cursors; this cursor only lives until the pass ends.
 */
public record SyncCursor(long receiptSeq, String conversationId, long seq) {
  private static final String VERSION = "v1";

  public SyncCursor {
    if (receiptSeq < 0 || seq < 0) {
      throw new IllegalArgumentException("negative position");
    }
    if (!conversationId.isEmpty() && !ConversationIds.isValid(conversationId)) {
      throw new IllegalArgumentException("malformed conversation id");
    }
  }

  /** The start of a pass whose receipts begin after {@code receiptSeq}. */
  public static SyncCursor start(long receiptSeq) {
    return new SyncCursor(receiptSeq, "", 0);
  }

  public String encode() {
    String text = VERSION + "." + receiptSeq + "." + seq + "." + conversationId;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * @throws IllegalArgumentException if {@code encoded} was not produced by {@link #encode()}
   */
  public static SyncCursor parse(String encoded) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed cursor");
    }
    String[] parts = text.split("\\.", 4);
    if (parts.length != 4 || !VERSION.equals(parts[0])) {
      throw new IllegalArgumentException("malformed cursor");
    }
    try {
      return new SyncCursor(Long.parseLong(parts[1]), parts[3], Long.parseLong(parts[2]));
    } catch (IllegalArgumentException e) { // NumberFormatException included
      throw new IllegalArgumentException("malformed cursor");
    }
  }
}
