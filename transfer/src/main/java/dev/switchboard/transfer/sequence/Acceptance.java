package dev.switchboard.transfer.sequence;

import dev.switchboard.proto.ChatMsg;

/**
 * The stored form of an accepted message.
 *
 * @param message with id, seq and sent_at_ms set; for a duplicate, exactly the original
 * @param duplicate true if (from_id, client_msg_id) had been accepted before
 */
public record Acceptance(ChatMsg message, boolean duplicate) {}
