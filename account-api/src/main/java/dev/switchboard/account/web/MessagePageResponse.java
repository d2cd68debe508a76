package dev.switchboard.account.web;

import dev.switchboard.account.history.HistoryPage;
import java.util.List;

/**
 * Answer of {@code GET /api/v1/conversations/{id}/messages}: messages oldest first; while {@code
 * hasMore}, the older page is asked for with {@code beforeSeq = nextBeforeSeq}.
 */
public record MessagePageResponse(
    String conversationId, List<MessageView> messages, boolean hasMore, long nextBeforeSeq) {

  static MessagePageResponse of(HistoryPage page) {
    return new MessagePageResponse(
        page.conversationId(),
        page.messages().stream().map(MessageView::of).toList(),
        page.hasMore(),
        page.nextBeforeSeq());
  }
}
