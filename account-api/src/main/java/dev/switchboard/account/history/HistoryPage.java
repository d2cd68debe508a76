package dev.switchboard.account.history;

import dev.switchboard.proto.ChatMsg;
import java.util.List;

/**
 * One page of a conversation's stored messages, as offline-store answered it.
 *
 * @param messages oldest first (ascending seq)
 * @param hasMore whether older messages exist
 * @param nextBeforeSeq the lowest seq of the page (0 if empty): {@code beforeSeq} of the next page
 */
public record HistoryPage(
    String conversationId, List<ChatMsg> messages, boolean hasMore, long nextBeforeSeq) {
  public HistoryPage {
    messages = List.copyOf(messages);
  }
}
