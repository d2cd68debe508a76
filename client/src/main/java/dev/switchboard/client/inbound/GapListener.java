package dev.switchboard.client.inbound;

/**
 * Extension point for closing seq gaps: told when a conversation shows a hole and when the
 * hold-back gave up on it. The walking skeleton only logs; the sync issue plugs a {@code SyncReq}
 * in here (pull the missing range, then feed the messages back through {@link
 * InboundSequencer#accept}).
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
}
