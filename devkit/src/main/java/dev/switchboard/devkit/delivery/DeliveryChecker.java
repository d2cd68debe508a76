package dev.switchboard.devkit.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the delivery guarantees over a whole run: every message a sender was told is SENT must
 * surface exactly once, in seq order, on every device of its recipient that stayed registered; no
 * client_msg_id may become two messages; a conversation's seqs have no holes. Fault tests and the
 * benchmark feed it from the SDK's callbacks (any thread) and assert on {@link #report()}.
 */
public final class DeliveryChecker {
  private static final int EXAMPLES = 10;

  private record Sent(
      String clientMsgId, long id, String conversationId, long seq, long destUser) {}

  private final Map<Long, Sent> sentById = new HashMap<>();
  private final Map<String, Long> idByClientMsgId = new HashMap<>();
  private final Map<String, Set<Long>> seqsByConversation = new HashMap<>();
  private final Map<Long, Set<String>> devicesByUser = new HashMap<>();
  private final Map<String, Map<Long, Integer>> surfacedCountByDevice = new HashMap<>();
  private final Map<String, Map<String, Long>> lastSeqByDeviceAndConversation = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private long surfaced;
  private long duplicates;
  private long orderViolations;
  private long duplicateSends;

  /** A device of {@code userId} that stays registered for the run: it must get all of its mail. */
  public synchronized void expectDevice(long userId, String device) {
    devicesByUser.computeIfAbsent(userId, k -> new HashSet<>()).add(device);
  }

  /** The sender was told SENT (message id, conversation and seq as the receipt says). */
  public synchronized void sent(
      String clientMsgId, long id, String conversationId, long seq, long destUserId) {
    Long earlier = idByClientMsgId.putIfAbsent(clientMsgId, id);
    if (earlier != null && earlier != id) {
      duplicateSends++;
      note("client_msg_id %s became two messages: %d and %d", clientMsgId, earlier, id);
    }
    sentById.putIfAbsent(id, new Sent(clientMsgId, id, conversationId, seq, destUserId));
    seqsByConversation.computeIfAbsent(conversationId, k -> new HashSet<>()).add(seq);
  }

  /** A device showed a message to its user. */
  public synchronized void surfaced(String device, long id, String conversationId, long seq) {
    surfaced++;
    int times =
        surfacedCountByDevice
            .computeIfAbsent(device, k -> new HashMap<>())
            .merge(id, 1, Integer::sum);
    if (times > 1) {
      duplicates++;
      note("device %s surfaced message %d %d times", device, id, times);
      return;
    }
    Map<String, Long> last =
        lastSeqByDeviceAndConversation.computeIfAbsent(device, k -> new HashMap<>());
    Long previous = last.put(conversationId, seq);
    if (previous != null && seq <= previous) {
      orderViolations++;
      note("device %s surfaced %s#%d after #%d", device, conversationId, seq, previous);
    }
  }

  public synchronized Report report() {
    long lost = 0;
    for (Sent sent : sentById.values()) {
      for (String device : devicesByUser.getOrDefault(sent.destUser(), Set.of())) {
        if (!surfacedCountByDevice.getOrDefault(device, Map.of()).containsKey(sent.id())) {
          lost++;
          if (lost <= EXAMPLES) {
            note(
                "message %d (%s#%d) never surfaced on %s",
                sent.id(), sent.conversationId(), sent.seq(), device);
          }
        }
      }
    }
    long gaps = 0;
    for (Map.Entry<String, Set<Long>> conversation : seqsByConversation.entrySet()) {
      TreeSet<Long> seqs = new TreeSet<>(conversation.getValue());
      long missing = seqs.last() - seqs.size();
      if (missing > 0) {
        gaps += missing;
        note(
            "conversation %s: %d seqs below %d never SENT",
            conversation.getKey(), missing, seqs.last());
      }
    }
    return new Report(
        sentById.size(),
        surfaced,
        lost,
        duplicates,
        orderViolations,
        gaps,
        duplicateSends,
        List.copyOf(problems.subList(0, Math.min(problems.size(), EXAMPLES))));
  }

  private void note(String format, Object... args) {
    if (problems.size() < EXAMPLES * 3) {
      problems.add(String.format(format, args));
    }
  }

  /**
   * The figures of a run. {@code gaps} counts seqs missing below a conversation's highest SENT seq,
   * which is only meaningful when the run SENT every message of its conversations.
   */
  public record Report(
      long sent,
      long surfaced,
      long lost,
      long duplicates,
      long orderViolations,
      long gaps,
      long duplicateSends,
      List<String> examples) {

    public boolean clean() {
      return lost == 0
          && duplicates == 0
          && orderViolations == 0
          && gaps == 0
          && duplicateSends == 0;
    }

    @Override
    public String toString() {
      return String.format(
          "sent=%d surfaced=%d lost=%d duplicates=%d orderViolations=%d gaps=%d duplicateSends=%d%s",
          sent,
          surfaced,
          lost,
          duplicates,
          orderViolations,
          gaps,
          duplicateSends,
          examples.isEmpty() ? "" : " e.g. " + examples);
    }
  }
}
