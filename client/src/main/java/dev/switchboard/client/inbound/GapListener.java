package dev.switchboard.client.inbound;

/**
 * Extension point for closing seq gaps: told when a conversation shows a hole, when the hold-back
 * gave up on it, and when a conversation's start is unknown. The client answers the first and the
 * last with a {@code SyncReq}; the pages' messages come back through {@link
 * InboundSequencer#accept}.
 *
 * <p>Called synchronously from {@link InboundSequencer} (on the client's event loop): must not
 * block.
 */
public interface GapListener {

  GapListener NONE = new GapListener() {};

  /** Seqs {@code fromSeq..toSeq} (inclusive) of the conversation are missing; later ones wait. */
  default void onGapDetected(String conversationId, long fromSeq, long toSeq) {}

  /**
   * The hold-back expired: seqs {@code fromSeq..toSeq} were skipped and later messages surfaced. If
   * the missing ones still arrive they are surfaced as late arrivals.
   */
  default void onGapSkipped(String conversationId, long fromSeq, long toSeq) {}

  /**
   * The first seq seen in a conversation ({@code seq}, not 1) does not tell what came before it, so
   * the delivery watermark cannot be claimed yet: a sync page's heads carry the device's delivery
   * cursor, which settles it. Called at most once per conversation.
   */
  default void onBaselineUnknown(String conversationId, long seq) {}
}
