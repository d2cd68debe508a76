package dev.switchboard.offlinestore.sync;

import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.SqlErrors;
import dev.switchboard.offlinestore.store.StoreProgress;
import dev.switchboard.offlinestore.sync.SyncReader.ConversationState;
import dev.switchboard.offlinestore.sync.SyncReader.NumberedReceipt;
import dev.switchboard.offlinestore.sync.SyncReader.Window;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Sync: everything of the user's conversations after this device's delivery cursor, plus the
 * receipts addressed to the user after the device's receipt cursor, one page at a time.
 *
 * <p>A page walks the user's conversations in id order from the cursor (at most {@code
 * maxConversations} of them) and takes each one's messages after max(device cursor, cursor
 * position), in seq order, until {@code limit} messages. Reading moves no durable cursor: a device
 * gets the same messages again until it acknowledges them (AdvanceCursor), which is what makes a
 * lost answer or a crash of the device harmless.
 *
 * <p>The race of the architecture ("SENT, not yet stored, last message of the conversation") is
 * closed with heads: each covered conversation reports transfer's allocated seq next to the stored
 * one. A client that holds less than the allocated seq knows more is coming and syncs again; with
 * {@code wait} the server first waits (bounded) for lagging conversations to be stored, so the
 * common case needs no second round trip.
 */
public final class SyncService {
  /** Default page size when the request leaves it at 0. */
  public static final int DEFAULT_LIMIT = 100;

  /** How often a waiting Sync re-reads the stored heads (other instances' batches). */
  private static final long WAIT_POLL_MILLIS = 20;

  private final DataSource dataSource;
  private final AllocatedSeqs allocated;
  private final StoreProgress progress;
  private final OfflineMetrics metrics;
  private final Clock clock;
  private final int maxLimit;
  private final int maxConversations;
  private final Duration maxWait;

  public SyncService(
      DataSource dataSource,
      AllocatedSeqs allocated,
      StoreProgress progress,
      OfflineMetrics metrics,
      Clock clock,
      int maxLimit,
      int maxConversations,
      Duration maxWait) {
    this.dataSource = dataSource;
    this.allocated = allocated;
    this.progress = progress;
    this.metrics = metrics;
    this.clock = clock;
    this.maxLimit = maxLimit;
    this.maxConversations = maxConversations;
    this.maxWait = maxWait;
  }

  /**
   * One page.
   *
   * @param cursor empty to start a pass at the device's cursors
   * @param requestedLimit 0 for the default; capped at the configured maximum
   * @param requestedWait how long to wait for lagging conversations; capped at the maximum
   * @throws dev.switchboard.offlinestore.store.StoreUnavailableException if MySQL is unreachable
   */
  public SyncPage sync(
      long userId,
      String deviceId,
      Optional<SyncCursor> cursor,
      int requestedLimit,
      Duration requestedWait) {
    int limit = requestedLimit == 0 ? DEFAULT_LIMIT : Math.min(requestedLimit, maxLimit);
    Duration wait = requestedWait.compareTo(maxWait) > 0 ? maxWait : requestedWait;
    try {
      SyncCursor position;
      Window window;
      Map<String, Long> allocatedSeqs;
      try (Connection connection = dataSource.getConnection()) {
        position =
            cursor.isPresent()
                ? cursor.get()
                : SyncCursor.start(SyncReader.receiptCursor(connection, userId, deviceId));
        window =
            SyncReader.conversations(
                connection, userId, deviceId, position.conversationId(), maxConversations);
        allocatedSeqs =
            allocated.read(
                connection,
                window.conversations().stream().map(ConversationState::conversationId).toList());
      }
      if (!wait.isZero()) {
        window = awaitStored(window, allocatedSeqs, wait);
      }
      try (Connection connection = dataSource.getConnection()) {
        return page(connection, userId, position, window, allocatedSeqs, limit);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("sync of user " + userId, e);
    }
  }

  private SyncPage page(
      Connection connection,
      long userId,
      SyncCursor position,
      Window window,
      Map<String, Long> allocatedSeqs,
      int limit)
      throws SQLException {
    List<ChatMsg> messages = new ArrayList<>();
    List<ConversationHead> heads = new ArrayList<>();
    String endConversation = position.conversationId();
    long endSeq = position.seq();
    boolean more = false;
    for (ConversationState conversation : window.conversations()) {
      String id = conversation.conversationId();
      long from = conversation.deliveredSeq();
      if (id.equals(position.conversationId())) {
        from = Math.max(from, position.seq());
      }
      long allocatedSeq = allocatedSeqs.getOrDefault(id, 0L);
      long covered = from;
      if (conversation.storedSeq() > from) {
        int room = limit - messages.size();
        if (room == 0) {
          more = true; // this conversation starts the next page
          break;
        }
        List<ChatMsg> found = SyncReader.messagesAfter(connection, id, from, room);
        messages.addAll(found);
        if (!found.isEmpty()) {
          covered = found.get(found.size() - 1).getSeq();
        }
        if (found.size() == room && covered < conversation.storedSeq()) {
          more = true; // the page is full in the middle of this conversation
        }
      }
      endConversation = id;
      endSeq = covered;
      if (Math.max(conversation.storedSeq(), allocatedSeq) > conversation.deliveredSeq()) {
        heads.add(
            new ConversationHead(
                id, allocatedSeq, conversation.storedSeq(), conversation.deliveredSeq()));
      }
      if (more) {
        break;
      }
    }
    if (window.truncated()) {
      more = true; // more conversations after this window
    }

    List<NumberedReceipt> receipts =
        SyncReader.receiptsAfter(connection, userId, position.receiptSeq(), limit + 1);
    if (receipts.size() > limit) {
      more = true;
      receipts = receipts.subList(0, limit);
    }
    long receiptSeq =
        receipts.isEmpty() ? position.receiptSeq() : receipts.get(receipts.size() - 1).userSeq();
    List<AckMsg> acks = receipts.stream().map(NumberedReceipt::ack).toList();

    metrics.syncPage(messages.size(), acks.size());
    return new SyncPage(
        messages, acks, new SyncCursor(receiptSeq, endConversation, endSeq), more, heads);
  }

  /**
   * Waits until every conversation of the window whose allocated seq is ahead of its stored seq has
   * caught up, or {@code wait} has passed; returns the window with the stored seqs as they are
   * then. Holds no connection while waiting.
   */
  private Window awaitStored(Window window, Map<String, Long> allocatedSeqs, Duration wait)
      throws SQLException {
    List<String> lagging = lagging(window, allocatedSeqs);
    if (lagging.isEmpty()) {
      return window;
    }
    long startedAt = System.nanoTime();
    long deadline = clock.millis() + wait.toMillis();
    List<ConversationState> current = new ArrayList<>(window.conversations());
    try {
      while (!lagging.isEmpty()) {
        long remaining = deadline - clock.millis();
        if (remaining <= 0) {
          break;
        }
        progress.awaitAfter(progress.version(), Math.min(WAIT_POLL_MILLIS, remaining));
        Map<String, Long> stored;
        try (Connection connection = dataSource.getConnection()) {
          stored = SyncReader.storedSeqs(connection, lagging);
        }
        for (int i = 0; i < current.size(); i++) {
          ConversationState state = current.get(i);
          Long seq = stored.get(state.conversationId());
          if (seq != null && seq > state.storedSeq()) {
            current.set(
                i, new ConversationState(state.conversationId(), seq, state.deliveredSeq()));
          }
        }
        lagging = lagging(new Window(current, window.truncated()), allocatedSeqs);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // shutting down: answer with what is stored
    }
    metrics.syncWaited(System.nanoTime() - startedAt);
    return new Window(current, window.truncated());
  }

  private static List<String> lagging(Window window, Map<String, Long> allocatedSeqs) {
    return window.conversations().stream()
        .filter(c -> allocatedSeqs.getOrDefault(c.conversationId(), 0L) > c.storedSeq())
        .map(ConversationState::conversationId)
        .toList();
  }
}
