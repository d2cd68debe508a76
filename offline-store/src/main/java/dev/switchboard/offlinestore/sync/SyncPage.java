package dev.switchboard.offlinestore.sync;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import java.util.List;

/**
 * One answer to Sync.
 *
 * @param messages ordered by (conversation id, seq)
 * @param receipts ordered by the user's receipt numbering (storage order)
 * @param next where the next page of this pass starts
 * @param hasMore whether the pass has more
 * @param heads the conversations this page covered that have something the device has not
 *     acknowledged
 */
public record SyncPage(
    List<ChatMsg> messages,
    List<AckMsg> receipts,
    SyncCursor next,
    boolean hasMore,
    List<ConversationHead> heads) {}
