package dev.switchboard.offlinestore.history;

import dev.switchboard.offlinestore.store.SqlErrors;
import dev.switchboard.offlinestore.sync.StoredMessages;
import dev.switchboard.proto.ChatMsg;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * History pages and membership. A page is one backward range read on message's primary key
 * (conversation_id, seq) from before_seq, so its cost is the page size whatever the length of the
 * conversation; pages are keyed by seq, so messages stored meanwhile never shift them.
 *
 * <p>Who may read a conversation is the caller's decision (account-api checks {@link #isMember} or
 * derives it from a single conversation's id); this service does not know the asking user.
 */
public final class HistoryService {
  /** Default page size when the request leaves it at 0. */
  public static final int DEFAULT_LIMIT = 50;

  static final String PAGE_BEFORE =
      "SELECT msg FROM message WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?";
  static final String IS_MEMBER =
      "SELECT 1 FROM user_conversation WHERE user_id = ? AND conversation_id = ?";

  private final DataSource dataSource;
  private final int maxLimit;

  public HistoryService(DataSource dataSource, int maxLimit) {
    this.dataSource = dataSource;
    this.maxLimit = maxLimit;
  }

  /**
   * @param beforeSeq only messages below this seq; 0 for the latest
   * @param requestedLimit 0 for the default; capped at the configured maximum
   */
  public HistoryPage page(String conversationId, long beforeSeq, int requestedLimit) {
    int limit = Math.min(requestedLimit == 0 ? DEFAULT_LIMIT : requestedLimit, maxLimit);
    List<ChatMsg> newestFirst = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(PAGE_BEFORE)) {
      select.setString(1, conversationId);
      select.setLong(2, beforeSeq == 0 ? Long.MAX_VALUE : beforeSeq);
      select.setInt(3, limit + 1);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          newestFirst.add(StoredMessages.chat(rows.getBytes(1)));
        }
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("history of " + conversationId, e);
    }
    boolean hasMore = newestFirst.size() > limit;
    List<ChatMsg> page = new ArrayList<>(hasMore ? newestFirst.subList(0, limit) : newestFirst);
    Collections.reverse(page);
    return new HistoryPage(page, hasMore, page.isEmpty() ? 0 : page.get(0).getSeq());
  }

  public boolean isMember(long userId, String conversationId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(IS_MEMBER)) {
      select.setLong(1, userId);
      select.setString(2, conversationId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("membership of user " + userId, e);
    }
  }
}
