package dev.switchboard.transfer.sequence;

import dev.switchboard.proto.ChatMsg;
import dev.switchboard.transfer.outbox.OutboxRow;
import java.util.Optional;

/**
 * The stored form of an accepted message.
 *
 * @param message with id, seq and sent_at_ms set; for a duplicate, exactly the original
 * @param duplicate true if (from_id, client_msg_id) had been accepted before
 * @param published true if the broker is known to have acknowledged it (its outbox row is gone, or
 *     accepted_message.published_at_ms is set); false for a new message and for one whose append is
 *     unconfirmed
 * @param outbox for a new message, the outbox row it was committed with, to count its
 *     acknowledgement towards; empty for a duplicate (the original's acknowledgement counts)
 */
public record Acceptance(
    ChatMsg message, boolean duplicate, boolean published, Optional<OutboxRow> outbox) {

  static Acceptance fresh(ChatMsg message, OutboxRow outbox) {
    return new Acceptance(message, false, false, Optional.of(outbox));
  }

  static Acceptance duplicate(ChatMsg original, boolean published) {
    return new Acceptance(original, true, published, Optional.empty());
  }
}
