package dev.switchboard.client.inbound;

import dev.switchboard.proto.ChatMsg;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the messages a connection receives into the messages an application should show: each id
 * once, and within a conversation in seq order.
 *
 * <p>Rules, per conversation:
 *
 * <ul>
 *   <li>An id seen before (within the last {@code dedupCapacity} ids) is a {@link
 *       Status#DUPLICATE}: the caller acknowledges it again but never shows it again.
 *   <li>Messages are shown from a known <em>order base</em>: seq 1, or the device's delivery cursor
 *       the server reports in a sync page ({@link #noteDelivered}). The message with seq = last
 *       surfaced + 1 is surfaced at once, followed by any held successors that are now contiguous.
 *   <li>A message beyond a gap (seq &gt; last + 1), or any message of a conversation whose base is
 *       not known yet, is {@link Status#HELD}. A gap is never a seq that does not exist: the server
 *       allocates seqs without holes and republishes every allocated one (transfer's outbox), so
 *       the missing messages are on their way, normally within milliseconds, or a sync fetches
 *       them. A gap still open after {@link #FIRST_NUDGE} is reported to the {@link GapListener},
 *       and again at growing intervals ({@link #FIRST_NUDGE} doubling to {@link #MAX_NUDGE}) so
 *       that the client keeps syncing. Only after {@code giveUp} does {@link #releaseExpired()}
 *       surface the held messages anyway, in seq order, and report the skipped seqs: a safety net
 *       against a seq the server lost, not the normal path.
 *   <li>A conversation whose base is unknown is also settled by a sync pass that began after its
 *       first message was held and ended without a head for it ({@link #syncPassCompleted}): the
 *       server reports a head for every conversation with anything above the device's cursor, so
 *       without one the held messages are all at or below the cursor (acknowledged by an earlier
 *       run of this device) and nothing is missing before them.
 *   <li>A never-seen id with seq &lt;= last surfaced is a late arrival (it filled a gap that was
 *       already skipped, or the device had it before its cursor): surfaced at once, never dropped.
 *   <li>A message without seq (0) is surfaced at once and does not touch the order.
 *   <li>This client's own messages never arrive as pushes, yet they take seqs of the conversation:
 *       {@link #acceptOwn} records them (from their SENT receipt) so that the peer's next message
 *       is not mistaken for one after a gap.
 * </ul>
 *
 * <p>Separately from what is shown, it keeps each conversation's <em>delivery watermark</em>
 * ({@link #deliveredThrough}): the highest seq up to which this device holds every message,
 * counting surfaced, held and own messages, but never skipped ones. The server turns it into the
 * device's sync cursor, so it must never claim a seq the device does not hold: it grows only
 * through contiguous seqs, from a base that is known to be complete — seq 0 when the conversation's
 * seq 1 was seen, or the device's delivery cursor reported by the server ({@link #noteDelivered}).
 * Until the base is known the watermark is 0 ("no claim") and the {@link GapListener} hears {@code
 * onBaselineUnknown} once, so that the client can sync to learn it.
 *
 * <p>Time comes from an injected {@link InstantSource} so tests drive nudges and the give-up
 * without sleeping. Not thread-safe: the client confines it to its event loop.
 */
public final class InboundSequencer {

  /** What {@link #accept} did with a message. */
  public enum Status {
    /** Seen before: acknowledge again, show nothing. */
    DUPLICATE,
    /** Waiting for a gap to fill or the order base; shown later, never dropped. */
    HELD,
    /** {@link Outcome#surfaced()} lists what to show now, in order. */
    SURFACED
  }

  /** The result of {@link #accept}: its status and the messages to show now, in order. */
  public record Outcome(Status status, List<ChatMsg> surfaced) {
    static final Outcome DUPLICATE = new Outcome(Status.DUPLICATE, List.of());
    static final Outcome HELD = new Outcome(Status.HELD, List.of());
  }

  /** How many surfaced (seq, id) pairs each conversation keeps for READ receipts. */
  private static final int RECENT_SEQS = 16;

  /**
   * How many held seqs above a conversation's watermark are remembered; beyond that the highest are
   * forgotten, which can only make the watermark lower (safe), never higher.
   */
  static final int MAX_SEQS_ABOVE_WATERMARK = 4096;

  /**
   * How long a gap may last before the conversation asks for a sync, doubling while it stays open.
   * Not at once: almost every gap closes by itself within milliseconds (a peer's push that overtook
   * this device's own SENT, pushes of one conversation from two transfer instances), and syncing on
   * each one turned ordinary reordering under load into hundreds of sync passes per second that
   * kept offline-store from everything else. A push that was really lost costs half a second more.
   */
  static final Duration FIRST_NUDGE = Duration.ofMillis(500);

  /** The cap of the nudges' doubling. */
  static final Duration MAX_NUDGE = Duration.ofSeconds(16);

  private final long giveUpMillis;
  private final InstantSource clock;
  private final GapListener gapListener;
  private final RecentIds seenIds;
  private final Map<String, Conversation> conversations = new HashMap<>();
  private final Set<Conversation> waiting = new LinkedHashSet<>();
  private long passesBegun;
  private long runningPass;

  /**
   * @param giveUp how long a held message waits for its gap or its conversation's base before it is
   *     surfaced anyway (see the class comment: a safety net)
   */
  public InboundSequencer(
      Duration giveUp, int dedupCapacity, InstantSource clock, GapListener gapListener) {
    if (giveUp.isNegative()) {
      throw new IllegalArgumentException("giveUp must not be negative: " + giveUp);
    }
    this.giveUpMillis = giveUp.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.gapListener = Objects.requireNonNull(gapListener, "gapListener");
    this.seenIds = new RecentIds(dedupCapacity);
  }

  /** Takes one received message; see the class comment for the rules. */
  public Outcome accept(ChatMsg msg) {
    if (!seenIds.add(msg.getId())) {
      return Outcome.DUPLICATE;
    }
    long seq = msg.getSeq();
    if (seq <= 0 || msg.getConversationId().isEmpty()) {
      return new Outcome(Status.SURFACED, List.of(msg));
    }
    Conversation conv = conversation(msg.getConversationId(), seq);
    markHeld(conv, seq);
    if (!conv.baseKnown) {
      hold(conv, seq, msg.getId(), msg);
      return Outcome.HELD;
    }
    if (seq <= conv.lastSeq) {
      // Late arrival (its gap was skipped, or below the cursor) or a second id for a seq (a server
      // bug): never drop.
      List<ChatMsg> out = new ArrayList<>(1);
      conv.surfaceLate(msg, out);
      return new Outcome(Status.SURFACED, out);
    }
    if (seq == conv.lastSeq + 1) {
      List<ChatMsg> out = new ArrayList<>(1);
      conv.surface(msg, out);
      conv.drainContiguous(out);
      settle(conv);
      return new Outcome(Status.SURFACED, out);
    }
    if (conv.held.containsKey(seq)) {
      // Same seq under a different id: a protocol violation; show it rather than lose it.
      return new Outcome(Status.SURFACED, List.of(msg));
    }
    hold(conv, seq, msg.getId(), msg);
    return Outcome.HELD;
  }

  /**
   * The conversation, created on first sight: with its order base known when the first seq is 1
   * (nothing comes before it), unknown otherwise.
   */
  private Conversation conversation(String conversationId, long firstSeq) {
    Conversation conv = conversations.get(conversationId);
    if (conv == null) {
      conv = new Conversation(conversationId);
      conversations.put(conv.id, conv);
      if (firstSeq == 1) {
        conv.baseKnown = true;
      } else {
        conv.unknownSincePass = passesBegun;
      }
    }
    return conv;
  }

  /**
   * Records that this client's own message (learned from its SENT receipt) occupies {@code seq}: it
   * is never surfaced (the application has it already), but it counts for the order, otherwise the
   * peer's next message would look like it came after a gap. Returns held messages it unblocks, to
   * surface now.
   */
  public List<ChatMsg> acceptOwn(String conversationId, long seq, long id) {
    if (seq <= 0 || conversationId.isEmpty() || !seenIds.add(id)) {
      return List.of();
    }
    Conversation conv = conversation(conversationId, seq);
    markHeld(conv, seq);
    if (conv.baseKnown && seq <= conv.lastSeq) {
      return List.of();
    }
    if (conv.baseKnown && (seq == conv.lastSeq + 1 || conv.held.containsKey(seq))) {
      List<ChatMsg> out = new ArrayList<>();
      conv.record(seq, id);
      conv.lastSeq = Math.max(conv.lastSeq, seq);
      conv.drainContiguous(out);
      settle(conv);
      return out;
    }
    hold(conv, seq, id, null);
    return List.of();
  }

  /**
   * Records what the server knows this device holds in the conversation: its delivery cursor
   * ({@code ConversationHead.delivered_seq} of a sync page). It becomes the watermark's base, and,
   * for a conversation not seen yet in this session, the point after which messages are shown in
   * order (so a sync page's first message is not mistaken for one after a gap, and a push beyond it
   * waits for the ones before). Returns held messages that this releases, to surface now.
   */
  public List<ChatMsg> noteDelivered(String conversationId, long deliveredSeq) {
    if (conversationId.isEmpty() || deliveredSeq < 0) {
      return List.of();
    }
    Conversation conv = conversations.get(conversationId);
    if (conv == null) {
      conv = new Conversation(conversationId);
      conversations.put(conv.id, conv);
      conv.baseKnown = true;
      conv.lastSeq = deliveredSeq;
    }
    conv.watermark.setBase(deliveredSeq);
    if (conv.baseKnown) {
      return List.of();
    }
    return settleBase(conv, deliveredSeq);
  }

  /**
   * The order base of a conversation that had none is now known: what is held at or below it is
   * surfaced (in seq order: the device had those before), then whatever is contiguous after it; a
   * remaining hole is reported, so that the sync fetches it.
   */
  private List<ChatMsg> settleBase(Conversation conv, long base) {
    conv.baseKnown = true;
    conv.lastSeq = base;
    List<ChatMsg> out = new ArrayList<>();
    for (Iterator<Held> it = conv.held.headMap(base, true).values().iterator(); it.hasNext(); ) {
      conv.surface(it.next(), out); // at or below the base: lastSeq stays the base
      it.remove();
    }
    conv.drainContiguous(out);
    if (!conv.held.isEmpty()) {
      long firstHeld = conv.held.firstKey();
      gapListener.onGapDetected(conv.id, conv.lastSeq + 1, firstHeld - 1);
    }
    settle(conv);
    return out;
  }

  /**
   * A sync pass starts (the connector's own first pass after login included). Only one runs at a
   * time; see {@link #syncPassCompleted}.
   */
  public void syncPassStarted() {
    runningPass = ++passesBegun;
  }

  /**
   * The running sync pass ended with its last page and every head of it was noted: a conversation
   * whose base is still unknown although its first message was held before this pass began had no
   * head in it, so nothing above the device's cursor is missing before what is held. Returns what
   * that releases, to surface now.
   */
  public List<ChatMsg> syncPassCompleted() {
    long completed = runningPass;
    runningPass = 0;
    if (completed == 0 || waiting.isEmpty()) {
      return List.of();
    }
    List<ChatMsg> out = new ArrayList<>();
    for (Conversation conv : List.copyOf(waiting)) {
      if (!conv.baseKnown && conv.unknownSincePass < completed && !conv.held.isEmpty()) {
        out.addAll(settleBase(conv, conv.held.firstKey() - 1));
      }
    }
    return out;
  }

  /**
   * The conversation's delivery watermark: the highest seq up to which this device holds every
   * message without a gap (its own SENT ones included); 0 when unknown. What DELIVERED receipts
   * carry as {@code delivered_through_seq}.
   */
  public long deliveredThrough(String conversationId) {
    Conversation conv = conversations.get(conversationId);
    return conv == null ? 0 : conv.watermark.through();
  }

  private void markHeld(Conversation conv, long seq) {
    conv.watermark.add(seq);
    if (!conv.watermark.baseKnown() && !conv.baselineReported) {
      conv.baselineReported = true;
      gapListener.onBaselineUnknown(conv.id, seq);
    }
  }

  private void hold(Conversation conv, long seq, long id, ChatMsg msgOrNull) {
    long now = clock.millis();
    if (conv.held.isEmpty()) {
      conv.nudgeDelayMillis = FIRST_NUDGE.toMillis();
      conv.nudgeAtMillis = now + conv.nudgeDelayMillis;
    }
    conv.held.put(seq, new Held(seq, id, msgOrNull, now + giveUpMillis));
    waiting.add(conv);
    if (!conv.baseKnown) {
      return; // the base request went out with markHeld
    }
    // No sync yet: see FIRST_NUDGE.
  }

  /** Takes the conversation off the waiting list when nothing is held any more. */
  private void settle(Conversation conv) {
    if (conv.held.isEmpty()) {
      waiting.remove(conv);
    }
  }

  /**
   * Due work of conversations that wait: asks for a sync again where a nudge is due, and surfaces
   * held messages whose give-up has passed, in seq order per conversation, together with everything
   * held before them and the contiguous successors after them. Call it when {@link
   * #nextExpiryMillis()} is reached (the client schedules that on its event loop).
   */
  public List<ChatMsg> releaseExpired() {
    if (waiting.isEmpty()) {
      return List.of();
    }
    long now = clock.millis();
    List<ChatMsg> out = new ArrayList<>();
    for (Conversation conv : List.copyOf(waiting)) {
      long releaseUpTo = -1;
      for (Held h : conv.held.values()) {
        if (h.deadlineMillis <= now) {
          releaseUpTo = h.seq; // entries are in seq order: the last expired one wins
        }
      }
      if (releaseUpTo >= 0) {
        giveUp(conv, releaseUpTo, out);
      }
      if (!conv.held.isEmpty() && conv.nudgeAtMillis <= now) {
        nudge(conv, now);
      }
      settle(conv);
    }
    return out;
  }

  private void giveUp(Conversation conv, long releaseUpTo, List<ChatMsg> out) {
    if (!conv.baseKnown) {
      // No sync told where the device stands: show from the first held one.
      conv.baseKnown = true;
      conv.lastSeq = conv.held.firstKey() - 1;
    }
    NavigableMap<Long, Held> released = conv.held.headMap(releaseUpTo, true);
    for (Iterator<Held> h = released.values().iterator(); h.hasNext(); ) {
      Held held = h.next();
      if (held.seq > conv.lastSeq + 1) {
        gapListener.onGapSkipped(conv.id, conv.lastSeq + 1, held.seq - 1);
      }
      conv.surface(held, out);
      h.remove();
    }
    conv.drainContiguous(out);
  }

  private void nudge(Conversation conv, long now) {
    if (conv.baseKnown) {
      gapListener.onGapDetected(conv.id, conv.lastSeq + 1, conv.held.firstKey() - 1);
    } else {
      gapListener.onBaselineUnknown(conv.id, conv.held.firstKey());
    }
    conv.nudgeDelayMillis = Math.min(conv.nudgeDelayMillis * 2, MAX_NUDGE.toMillis());
    conv.nudgeAtMillis = now + conv.nudgeDelayMillis;
  }

  /**
   * When {@link #releaseExpired()} has work next (epoch millis): a nudge or a give-up, if any
   * message is held.
   */
  public OptionalLong nextExpiryMillis() {
    long min = Long.MAX_VALUE;
    for (Conversation conv : waiting) {
      min = Math.min(min, conv.nudgeAtMillis);
      for (Held h : conv.held.values()) {
        min = Math.min(min, h.deadlineMillis);
      }
    }
    return min == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(min);
  }

  /** The highest seq surfaced in the conversation, 0 if none yet. */
  public long lastSurfacedSeq(String conversationId) {
    Conversation conv = conversations.get(conversationId);
    return conv == null ? 0 : conv.lastSeq;
  }

  /** How many messages are held back in the conversation. */
  public int heldCount(String conversationId) {
    Conversation conv = conversations.get(conversationId);
    return conv == null ? 0 : conv.held.size();
  }

  /** The id of a recently surfaced message of the conversation with that seq, for READ receipts. */
  public OptionalLong messageIdAt(String conversationId, long seq) {
    Conversation conv = conversations.get(conversationId);
    return conv == null ? OptionalLong.empty() : conv.idAt(seq);
  }

  /**
   * A message waiting for a gap or the base; {@code msg} is null for this client's own (silent)
   * message.
   */
  private record Held(long seq, long id, ChatMsg msg, long deadlineMillis) {}

  private static final class Conversation {
    final String id;

    /** False until seq 1, the server's cursor, a completed pass or the give-up settles it. */
    boolean baseKnown;

    /** Passes begun when the conversation was first seen without a base. */
    long unknownSincePass;

    long lastSeq;
    long nudgeAtMillis;
    long nudgeDelayMillis;
    final TreeMap<Long, Held> held = new TreeMap<>();
    final Watermark watermark = new Watermark();
    boolean baselineReported;
    // Small ring of recently surfaced (seq, id) pairs.
    final long[] recentSeqs = new long[RECENT_SEQS];
    final long[] recentIds = new long[RECENT_SEQS];
    int recentNext;

    Conversation(String id) {
      this.id = id;
    }

    void surface(ChatMsg msg, List<ChatMsg> out) {
      lastSeq = Math.max(lastSeq, msg.getSeq());
      surfaceLate(msg, out);
    }

    void surface(Held h, List<ChatMsg> out) {
      lastSeq = Math.max(lastSeq, h.seq);
      record(h.seq, h.id);
      if (h.msg != null) {
        out.add(h.msg);
      }
    }

    void surfaceLate(ChatMsg msg, List<ChatMsg> out) {
      record(msg.getSeq(), msg.getId());
      out.add(msg);
    }

    void record(long seq, long id) {
      recentSeqs[recentNext] = seq;
      recentIds[recentNext] = id;
      recentNext = (recentNext + 1) % RECENT_SEQS;
    }

    void drainContiguous(List<ChatMsg> out) {
      Map.Entry<Long, Held> next;
      while ((next = held.firstEntry()) != null && next.getKey() <= lastSeq + 1) {
        held.pollFirstEntry();
        surface(next.getValue(), out);
      }
    }

    OptionalLong idAt(long seq) {
      for (int i = 0; i < RECENT_SEQS; i++) {
        if (recentSeqs[i] == seq && recentIds[i] != 0) {
          return OptionalLong.of(recentIds[i]);
        }
      }
      return OptionalLong.empty();
    }
  }

  /**
   * The seqs a device holds in one conversation, reduced to "everything up to {@code through}" plus
   * the few held above a hole. Only a known-complete base (seq 1 seen, or the server's cursor) lets
   * {@code through} count.
   */
  private static final class Watermark {
    private boolean baseKnown;
    private long through;
    private TreeSet<Long> above; // held seqs above `through` (all held seqs while no base); lazy

    boolean baseKnown() {
      return baseKnown;
    }

    long through() {
      return baseKnown ? through : 0;
    }

    void add(long seq) {
      if (baseKnown && seq <= through) {
        return;
      }
      if (baseKnown && seq == through + 1) {
        through = seq;
        absorb();
        return;
      }
      if (above == null) {
        above = new TreeSet<>();
      }
      above.add(seq);
      if (above.size() > MAX_SEQS_ABOVE_WATERMARK) {
        above.pollLast();
      }
      if (!baseKnown && seq == 1) {
        setBase(0); // nothing comes before seq 1
      }
    }

    void setBase(long deliveredSeq) {
      if (baseKnown && deliveredSeq <= through) {
        return;
      }
      baseKnown = true;
      through = Math.max(through, deliveredSeq);
      absorb();
    }

    /** Moves {@code through} over the held seqs that are now contiguous with it. */
    private void absorb() {
      if (above == null) {
        return;
      }
      while (!above.isEmpty()) {
        long first = above.first();
        if (first > through + 1) {
          break;
        }
        above.pollFirst();
        through = Math.max(through, first);
      }
      if (above.isEmpty()) {
        above = null;
      }
    }
  }
}
