package dev.switchboard.transfer.sequence;

import dev.switchboard.proto.ChatMsg;

/**
 * The stored form of an accepted message.
 *
 * @param message with id, seq and sent_at_ms set; for a duplicate, exactly the original
 * @param duplicate true if (from_id, client_msg_id) had been accepted before
 * @param published true if the broker is known to have acknowledged it (accepted_message
 *     .published_at_ms is set); false for a new message and for one whose append is unconfirmed
 */
public record Acceptance(ChatMsg message, boolean duplicate, boolean published) {}
