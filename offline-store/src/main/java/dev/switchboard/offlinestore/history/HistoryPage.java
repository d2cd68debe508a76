package dev.switchboard.offlinestore.history;

import dev.switchboard.proto.ChatMsg;
import java.util.List;

/**
 * One page of a conversation's history.
 *
 * @param messages oldest first (ascending seq)
 * @param hasMore whether older messages exist
 * @param nextBeforeSeq the lowest seq of the page (0 if empty): the next page's before_seq
 */
public record HistoryPage(List<ChatMsg> messages, boolean hasMore, long nextBeforeSeq) {}
