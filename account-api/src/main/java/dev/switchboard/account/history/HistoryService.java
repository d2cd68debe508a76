package dev.switchboard.account.history;

import dev.switchboard.account.grpc.OfflineStoreClient;
import dev.switchboard.common.chat.Conversations;
import dev.switchboard.proto.internal.HistoryResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/**
 * History pages (cloud messages, roaming) for members of a conversation. The page itself is one
 * offline-store History call: a range read on (conversation, seq), so its cost does not grow with
 * the length of the conversation.
 *
 * <p>Who may read: a one-to-one conversation's members are named by its id, so it is decided here
 * without a call (a third user is refused even if offline-store were asked); for any other kind
 * offline-store's IsMember decides.
 */
public final class HistoryService {
  private final OfflineStoreClient offlineStore;
  private final Counter pages;
  private final Counter refused;

  public HistoryService(OfflineStoreClient offlineStore, MeterRegistry meters) {
    this.offlineStore = offlineStore;
    this.pages = requests(meters, "page");
    this.refused = requests(meters, "not-a-member");
  }

  private static Counter requests(MeterRegistry meters, String outcome) {
    return Counter.builder("account.history.requests")
        .description("History requests by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  /**
   * @param beforeSeq only messages with a lower seq; 0 for the latest
   * @param limit the page size, at least 1 (the caller bounds it)
   * @throws dev.switchboard.account.grpc.DependencyUnavailableException offline-store did not
   *     answer
   */
  public HistoryResult page(long userId, String conversationId, long beforeSeq, int limit) {
    if (beforeSeq < 0 || limit < 1) {
      throw new IllegalArgumentException(
          "beforeSeq must be >= 0 and limit >= 1, not " + beforeSeq + " and " + limit);
    }
    Optional<String> invalid = ConversationIds.problem(conversationId);
    if (invalid.isPresent()) {
      return new HistoryResult.InvalidConversationId(invalid.get());
    }
    if (!isMember(userId, conversationId)) {
      refused.increment();
      return new HistoryResult.NotAMember();
    }
    HistoryResponse response = offlineStore.history(conversationId, beforeSeq, limit);
    pages.increment();
    return new HistoryResult.Page(
        new HistoryPage(
            conversationId,
            response.getMessagesList(),
            response.getHasMore(),
            response.getNextBeforeSeq()));
  }

  private boolean isMember(long userId, String conversationId) {
    if (ConversationIds.isSingle(conversationId)) {
      return Conversations.peerOf(conversationId, userId) > 0;
    }
    return offlineStore.isMember(userId, conversationId);
  }
}
