package dev.switchboard.offlinestore.sync;

import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.SqlErrors;
import dev.switchboard.offlinestore.store.StoreProgress;
import dev.switchboard.offlinestore.sync.SyncReader.ConversationState;
import dev.switchboard.offlinestore.sync.SyncReader.NumberedReceipt;
import dev.switchboard.offlinestore.sync.SyncReader.Reach;
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
 * <p>The user's conversations are those this store has stored messages of (user_conversation) and
 * those transfer allocated a seq in (conversation_member, see {@link ConversationMembers}): a
 * conversation whose first message is SENT but not stored yet is in the window too.
 *
 * <p>A conversation is handed out only up to its first missing seq: Kafka order is not seq order,
 * so 8 can be stored before 7, and a device that got 8 without 7 would acknowledge 6 at best and
 * then hold a message it cannot place. So the page stops at the hole, and the head's stored_seq is
 * the end of the contiguous run (from the device's position), not the highest stored seq.
 *
 * <p>The race of the architecture ("SENT, not yet stored, last message of the conversation") is
 * closed with heads: each covered conversation reports transfer's allocated seq next to that stored
 * one. A client that holds less than the allocated seq knows more is coming and syncs again; with
 * {@code wait} the server first waits (bounded) for lagging conversations (an allocated seq above
 * the contiguous run: unstored tail or hole alike) to be stored, so the common case needs no second
 * round trip.
 */
public final class SyncService {
  /**
   * Page size when the request leaves it at 0 (capped by the configured maximum). A page costs a
   * round trip and its queries whatever it holds, so a device catching up on many messages syncs
   * faster the fuller its pages are; {@link #MAX_PAGE_BYTES} keeps a page of large messages within
   * one frame.
   */
  public static final int DEFAULT_LIMIT = 500;

  /**
   * Message bytes per page at most (a page holds at least one message, and a client frame is at
   * most 64 KiB). A page goes to the device as one frame: 100 messages near the 64 KiB frame limit
   * would make a 6 MiB frame, past the SDK's 1 MiB inbound limit and gRPC's 4 MiB, so the device
   * could never sync them. Half the SDK's limit leaves room for the receipts and heads.
   */
  public static final int MAX_PAGE_BYTES = 512 * 1024;

  /** How often a waiting Sync re-reads the stored heads (other instances' batches). */
  private static final long WAIT_POLL_MILLIS = 20;

  private final DataSource dataSource;
  private final AllocatedSeqs allocated;
  private final ConversationMembers members;
  private final StoreProgress progress;
  private final OfflineMetrics metrics;
  private final Clock clock;
  private final int maxLimit;
  private final int maxConversations;
  private final Duration maxWait;

  /**
   * @param maxConversations conversations one page looks at; at least 1 (the configuration asks for
   *     2 or more)
   */
  public SyncService(
      DataSource dataSource,
      AllocatedSeqs allocated,
      ConversationMembers members,
      StoreProgress progress,
      OfflineMetrics metrics,
      Clock clock,
      int maxLimit,
      int maxConversations,
      Duration maxWait) {
    if (maxConversations < 1) {
      throw new IllegalArgumentException("maxConversations must be positive");
    }
    this.dataSource = dataSource;
    this.allocated = allocated;
    this.members = members;
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
    int limit = Math.min(requestedLimit == 0 ? DEFAULT_LIMIT : requestedLimit, maxLimit);
    Duration wait = requestedWait.compareTo(maxWait) > 0 ? maxWait : requestedWait;
    try {
      SyncCursor position;
      Window window;
      Map<String, Long> allocatedSeqs;
      List<Span> spans;
      try (Connection connection = dataSource.getConnection()) {
        position =
            cursor.isPresent()
                ? cursor.get()
                : SyncCursor.start(SyncReader.receiptCursor(connection, userId, deviceId));
        window =
            SyncReader.conversations(
                connection, members, userId, deviceId, position.conversationId(), maxConversations);
        allocatedSeqs =
            allocated.read(
                connection,
                window.conversations().stream().map(ConversationState::conversationId).toList());
        spans = new ArrayList<>(window.conversations().size());
        for (ConversationState state : window.conversations()) {
          spans.add(span(connection, state, position, limit));
        }
        if (wait.isZero() || lagging(spans, allocatedSeqs).isEmpty()) {
          // Nothing to wait for (the usual case, and every login of a device that is up to date):
          // the page on the same connection, not a second one from the pool.
          return page(connection, userId, position, spans, window.next(), allocatedSeqs, limit);
        }
      }
      spans = awaitStored(spans, allocatedSeqs, wait, limit);
      try (Connection connection = dataSource.getConnection()) {
        return page(connection, userId, position, spans, window.next(), allocatedSeqs, limit);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("sync of user " + userId, e);
    }
  }

  /**
   * What of one conversation this page may hand out: the seqs in (from, reach.end].
   *
   * @param from max(device cursor, this pass's position in the conversation)
   */
  private record Span(ConversationState state, long from, Reach reach) {
    String conversationId() {
      return state.conversationId();
    }
  }

  private static Span span(
      Connection connection, ConversationState state, SyncCursor position, int limit)
      throws SQLException {
    long from = state.deliveredSeq();
    if (state.conversationId().equals(position.conversationId())) {
      from = Math.max(from, position.seq());
    }
    return new Span(state, from, SyncReader.reach(connection, state, from, limit));
  }

  private SyncPage page(
      Connection connection,
      long userId,
      SyncCursor position,
      List<Span> spans,
      String nextConversation,
      Map<String, Long> allocatedSeqs,
      int limit)
      throws SQLException {
    List<ChatMsg> messages = new ArrayList<>();
    int bytes = 0;
    List<ConversationHead> heads = new ArrayList<>();
    String endConversation = position.conversationId();
    long endSeq = position.seq();
    boolean more = false;
    for (Span span : spans) {
      String id = span.conversationId();
      long allocatedSeq = allocatedSeqs.getOrDefault(id, 0L);
      long covered = span.from();
      // Where the contiguous run ends as far as this page knows: the head's stored_seq.
      long contiguous = span.reach().end();
      if (span.reach().end() > span.from()) {
        int room = limit - messages.size();
        if (room == 0) {
          more = true; // this conversation starts the next page, from where this one stands
          endConversation = id;
          endSeq = span.from();
          break;
        }
        boolean exact = span.reach().exact();
        int wanted = exact ? (int) Math.min(room, span.reach().end() - span.from()) : room;
        List<ChatMsg> found = SyncReader.messagesAfter(connection, id, span.from(), wanted);
        int taken = 0;
        boolean bytesFull = false;
        for (ChatMsg msg : found) {
          if (msg.getSeq() != covered + 1) {
            break; // never past a missing seq, whatever the watermark said
          }
          int size = msg.getSerializedSize();
          if (!messages.isEmpty() && bytes + size > MAX_PAGE_BYTES) {
            bytesFull = true;
            break;
          }
          messages.add(msg);
          bytes += size;
          covered++;
          taken++;
        }
        if (bytesFull) {
          more = true; // the page is full in the middle of this conversation, by size
          if (!exact) {
            contiguous = Math.max(contiguous, covered);
          }
        } else if (taken < wanted) {
          contiguous = covered; // the run ended inside what was read
        } else if (!exact) {
          contiguous = Math.max(contiguous, covered);
        }
        if (taken == room && covered < (exact ? span.reach().end() : Long.MAX_VALUE)) {
          more = true; // the page is full in the middle of this conversation
        }
      }
      endConversation = id;
      endSeq = covered;
      ConversationState state = span.state();
      if (Math.max(state.storedSeq(), allocatedSeq) > state.deliveredSeq()) {
        heads.add(new ConversationHead(id, allocatedSeq, contiguous, state.deliveredSeq()));
      }
      if (more) {
        break;
      }
    }
    if (!more && !nextConversation.isEmpty()) {
      // Every conversation of the window is covered: the next page starts strictly after them,
      // at the first conversation beyond the window, from the device's cursor there.
      more = true;
      endConversation = nextConversation;
      endSeq = 0;
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
   * Waits until no conversation of the window lags (its allocated seq above the end of its
   * contiguous stored run: a tail or a hole still in Kafka), or {@code wait} has passed; returns
   * the spans as they are then. Holds no connection while waiting.
   */
  private List<Span> awaitStored(
      List<Span> spans, Map<String, Long> allocatedSeqs, Duration wait, int limit)
      throws SQLException {
    List<String> lagging = lagging(spans, allocatedSeqs);
    if (lagging.isEmpty()) {
      return spans;
    }
    long startedAt = System.nanoTime();
    long deadline = clock.millis() + wait.toMillis();
    List<Span> current = new ArrayList<>(spans);
    try {
      while (!lagging.isEmpty()) {
        long remaining = deadline - clock.millis();
        if (remaining <= 0) {
          break;
        }
        progress.awaitAfter(progress.version(), Math.min(WAIT_POLL_MILLIS, remaining));
        try (Connection connection = dataSource.getConnection()) {
          Map<String, long[]> stored = SyncReader.storedHeads(connection, lagging);
          for (int i = 0; i < current.size(); i++) {
            Span span = current.get(i);
            long[] head = stored.get(span.conversationId());
            ConversationState state = span.state();
            if (head != null && (head[0] > state.storedSeq() || head[1] > state.contiguousSeq())) {
              ConversationState now = state.withStored(head[0], head[1]);
              current.set(
                  i,
                  new Span(
                      now, span.from(), SyncReader.reach(connection, now, span.from(), limit)));
            }
          }
        }
        lagging = lagging(current, allocatedSeqs);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // shutting down: answer with what is stored
    }
    metrics.syncWaited(System.nanoTime() - startedAt);
    return current;
  }

  /**
   * Conversations with allocated seqs this device cannot be given yet. A run that was only followed
   * for a page's worth of seqs ({@code !exact}) fills the page anyway: nothing to wait for.
   */
  private static List<String> lagging(List<Span> spans, Map<String, Long> allocatedSeqs) {
    return spans.stream()
        .filter(s -> s.reach().exact())
        .filter(s -> allocatedSeqs.getOrDefault(s.conversationId(), 0L) > s.reach().end())
        .map(Span::conversationId)
        .toList();
  }
}
