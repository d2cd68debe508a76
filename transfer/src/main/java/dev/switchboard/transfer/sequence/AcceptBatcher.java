package dev.switchboard.transfer.sequence;

import dev.switchboard.common.batch.BatchLanes;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.transfer.db.SqlErrors;
import dev.switchboard.transfer.db.StoreFailureException;
import dev.switchboard.transfer.db.StoreUnavailableException;
import dev.switchboard.transfer.ids.IdIssuer;
import dev.switchboard.transfer.ids.IdUnavailableException;
import dev.switchboard.transfer.outbox.OutboxRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sequences the messages of many concurrent SendChat calls in one MySQL transaction per batch
 * (group commit), with exactly the guarantees of {@link MessageStore#accept}: the seq, the
 * idempotency row, the outbox row and a new conversation's members commit or vanish together. The
 * batch shares one outbox row (V3__outbox_batches.sql), which goes once the broker acknowledged all
 * of its messages.
 *
 * <p>Why: one transaction per message costs five round trips and one log flush each, which bounds a
 * transfer instance at a few thousand messages per second whatever the number of threads (a flush
 * per commit is the price of durability). A batch pays the round trips and the flush once: one
 * upsert of every touched conversation's counter by the number of its new messages, one locked read
 * of the new counter values, multi-row inserts of the messages and members, and one outbox row
 * (and, after resends were seen, one read of the batch's earlier acceptances first; see below).
 *
 * <p>Batches form by themselves: each lane's thread takes everything queued while its previous
 * transaction ran, up to {@code maxBatch}, so an idle system commits single messages without
 * waiting and a busy one commits large batches. A conversation always goes to the same lane, and
 * lanes lock the counters of a batch in conversation order, so lanes (and other instances) never
 * deadlock on each other's rows; when they do conflict anyway, or a unique key refuses a row
 * (another instance accepted the same resend a moment earlier), the batch is rolled back and its
 * messages go through {@link MessageStore#accept} one by one, which handles every such case.
 *
 * <p>A call whose caller has gone by the time its batch forms takes no seq (it is answered
 * "abandoned", empty), like the per-message path.
 *
 * <p>Resends (a sender's client_msg_id accepted before) are not looked up while none were seen
 * lately: the unique key on (sender_id, client_msg_id) refuses the batch's insert, the transaction
 * rolls back (returning its seqs), and the batch runs again with the lookup, which then stays on
 * for a while. A resend costs one wasted transaction at most, and it is answered as before.
 */
public final class AcceptBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AcceptBatcher.class);

  /** A whole batch is retried this often after a deadlock or lock wait timeout. */
  private static final int BATCH_ATTEMPTS = 3;

  /** After a batch met a resend, batches look resends up first for this long. */
  private static final long RESEND_LOOKUP_WINDOW_NANOS = 10_000_000_000L;

  private static final String INSERT_MEMBER =
      "INSERT IGNORE INTO conversation_member (user_id, conversation_id) VALUES (?, ?)";

  private final DataSource dataSource;
  private final MessageStore onebyone;
  private final IdIssuer ids;
  private final BatchLanes<Pending> lanes;

  /**
   * Until when (System.nanoTime based) batches read their earlier acceptances before inserting.
   * Starts in the past: resends are rare, and the read cost a range scan with an OR per message,
   * the biggest statement of the transaction, to find nothing nearly every time.
   */
  private volatile long lookUpResendsUntil = System.nanoTime();

  /**
   * @param lanes threads committing batches in parallel (each holds one connection while it does)
   * @param maxBatch messages per transaction at most
   */
  public AcceptBatcher(
      DataSource dataSource, MessageStore onebyone, IdIssuer ids, int lanes, int maxBatch) {
    if (lanes < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("lanes and maxBatch must be positive");
    }
    this.dataSource = dataSource;
    this.onebyone = onebyone;
    this.ids = ids;
    this.lanes =
        new BatchLanes<>(
            "transfer-sequencer",
            lanes,
            maxBatch,
            this::process,
            (batch, e) -> {
              // Never leave a caller waiting, whatever went wrong.
              log.error("sequencing batch of {} failed unexpectedly", batch.size(), e);
              batch.forEach(p -> p.result.completeExceptionally(e));
            });
  }

  /**
   * Accepts a normalized message (from_id, dest_id, client_msg_id and conversation_id set) with a
   * new id and the conversation's next seq, or returns the original if this sender used the
   * client_msg_id before. Blocks until the batch it is in has committed.
   *
   * @param gone true once nobody waits for the answer: then no seq is taken
   * @return empty if the caller was gone when the batch formed
   * @throws StoreUnavailableException if the database is unreachable
   * @throws IdUnavailableException if no id can be issued
   * @throws StoreFailureException on any other database error
   */
  public Optional<Acceptance> accept(ChatMsg msg, long sentAtMs, BooleanSupplier gone) {
    try {
      return submit(msg, sentAtMs, gone).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while sequencing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new StoreFailureException("sequencing failed", e.getCause());
    }
  }

  /**
   * {@link #accept} without waiting: the future completes (or fails with one of the exceptions
   * {@code accept} throws) on the lane's thread when the batch has committed, in the order the
   * messages of a conversation were submitted. Dependent stages that run there must not block.
   */
  public CompletableFuture<Optional<Acceptance>> submit(
      ChatMsg msg, long sentAtMs, BooleanSupplier gone) {
    Pending pending = new Pending(msg, sentAtMs, gone, new CompletableFuture<>());
    if (!lanes.submit(msg.getConversationId().hashCode(), pending)) {
      return CompletableFuture.failedFuture(
          new StoreUnavailableException("sequencing is shut down", null));
    }
    return pending.result;
  }

  /** Stops the lanes after the batches they are working on; queued calls are refused. */
  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  /**
   * Stops the lanes, waiting up to {@code wait} for the batches they are working on (zero: not at
   * all, as in a crash); queued calls are refused.
   */
  public void close(Duration wait) {
    StoreUnavailableException shutDown =
        new StoreUnavailableException("sequencing is shut down", null);
    lanes.close(wait).forEach(p -> p.result.completeExceptionally(shutDown));
  }

  private record Pending(
      ChatMsg msg,
      long sentAtMs,
      BooleanSupplier gone,
      CompletableFuture<Optional<Acceptance>> result) {
    String senderKey() {
      return msg.getFromId() + "\u0000" + msg.getClientMsgId();
    }
  }

  private void process(List<Pending> batch) {
    // Nobody waits for these: they take no seq.
    List<Pending> live = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (p.gone.getAsBoolean()) {
        p.result.complete(Optional.empty());
      } else {
        live.add(p);
      }
    }
    // A resend racing its original in the same batch is answered from the original's outcome.
    Map<String, Pending> firsts = new HashMap<>();
    Map<Pending, List<Pending>> followers = new HashMap<>();
    List<Pending> unique = new ArrayList<>(live.size());
    for (Pending p : live) {
      Pending first = firsts.putIfAbsent(p.senderKey(), p);
      if (first == null) {
        unique.add(p);
      } else {
        followers.computeIfAbsent(first, k -> new ArrayList<>()).add(p);
      }
    }
    if (unique.isEmpty()) {
      return;
    }
    Map<Pending, Acceptance> outcome;
    try {
      outcome = commitWithRetries(unique);
    } catch (StoreUnavailableException | StoreFailureException | IdUnavailableException e) {
      // Expected failures, reported by the intake to each caller.
      live.forEach(p -> p.result.completeExceptionally(e));
      return;
    }
    for (Pending p : unique) {
      Acceptance a = outcome.get(p);
      p.result.complete(Optional.of(a));
      for (Pending f : followers.getOrDefault(p, List.of())) {
        f.result.complete(Optional.of(Acceptance.duplicate(a.message(), a.published())));
      }
    }
  }

  /**
   * The batch in one transaction; after conflicts it could not resolve, each message on its own.
   * Failures that concern the whole database (unreachable, no ids) fail every call of the batch.
   */
  private Map<Pending, Acceptance> commitWithRetries(List<Pending> batch) {
    boolean lookUpResends = System.nanoTime() - lookUpResendsUntil < 0;
    for (int attempt = 1; attempt <= BATCH_ATTEMPTS; attempt++) {
      try {
        return commit(batch, lookUpResends);
      } catch (SQLException e) {
        if (SqlErrors.isUnavailable(e)) {
          throw SqlErrors.translate("sequencing a batch", e);
        }
        if (SqlErrors.isDuplicateKey(e) && !lookUpResends) {
          // Most likely a resend of a message accepted in an earlier batch: resends come in
          // bursts (a reconnect resends everything unanswered), so look them up for a while.
          log.debug("batch of {} hit a unique key; looking resends up", batch.size());
          lookUpResendsUntil = System.nanoTime() + RESEND_LOOKUP_WINDOW_NANOS;
          lookUpResends = true;
          attempt--;
          continue;
        }
        if (SqlErrors.isDuplicateKey(e)) {
          log.debug("batch of {} hit a unique key; accepting one by one", batch.size());
          break;
        }
        if (!SqlErrors.isRetryableConflict(e)) {
          throw SqlErrors.translate("sequencing a batch", e);
        }
        log.debug("lock conflict sequencing a batch (attempt {}): {}", attempt, e.toString());
      }
    }
    Map<Pending, Acceptance> out = new HashMap<>();
    for (Pending p : batch) {
      out.put(p, onebyone.accept(p.msg, ids, p.sentAtMs));
    }
    return out;
  }

  /**
   * @param lookUpResends read the batch's earlier acceptances first; without, a resend fails the
   *     insert on UNIQUE(sender_id, client_msg_id) and rolls the batch back
   */
  private Map<Pending, Acceptance> commit(List<Pending> batch, boolean lookUpResends)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Map<Pending, Acceptance> out = new HashMap<>();
        Map<String, Acceptance> earlier = lookUpResends ? findEarlier(connection, batch) : Map.of();
        List<Pending> fresh = new ArrayList<>(batch.size());
        for (Pending p : batch) {
          Acceptance original = earlier.get(p.senderKey());
          if (original != null) {
            out.put(p, original);
          } else {
            fresh.add(p);
          }
        }
        if (!fresh.isEmpty()) {
          List<ChatMsg> accepted = sequence(connection, fresh);
          OutboxRow outbox = insert(connection, accepted);
          for (int i = 0; i < fresh.size(); i++) {
            out.put(fresh.get(i), Acceptance.fresh(accepted.get(i), outbox));
          }
        }
        connection.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        MessageStore.rollbackQuietly(connection);
        throw e;
      }
    }
  }

  /** The batch's earlier acceptances (resends), by sender key. */
  private static Map<String, Acceptance> findEarlier(Connection connection, List<Pending> batch)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT a.sender_id, a.client_msg_id, a.msg, ")
            .append(MessageStore.PUBLISHED)
            .append(" FROM accepted_message a ")
            .append(MessageStore.JOIN_OUTBOX)
            .append(" WHERE ");
    for (int i = 0; i < batch.size(); i++) {
      sql.append(i == 0 ? "" : " OR ").append("(a.sender_id = ? AND a.client_msg_id = ?)");
    }
    Map<String, Acceptance> found = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
      int i = 1;
      for (Pending p : batch) {
        select.setLong(i++, p.msg.getFromId());
        select.setString(i++, p.msg.getClientMsgId());
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ChatMsg original = MessageStore.parse(rows.getBytes(3));
          found.put(
              rows.getLong(1) + "\u0000" + rows.getString(2),
              Acceptance.duplicate(original, rows.getBoolean(4)));
        }
      }
    }
    return found;
  }

  /**
   * Takes the next seqs of every conversation in the batch, in the batch's order within each, and
   * draws the ids. Counters are locked in conversation order (see the class comment).
   */
  private List<ChatMsg> sequence(Connection connection, List<Pending> fresh) throws SQLException {
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (Pending p : fresh) {
      counts.merge(p.msg.getConversationId(), 1, Integer::sum);
    }
    StringBuilder bump =
        new StringBuilder("INSERT INTO conversation_seq (conversation_id, last_seq) VALUES ");
    StringBuilder read =
        new StringBuilder("SELECT conversation_id, last_seq FROM conversation_seq WHERE")
            .append(" conversation_id IN (");
    for (int i = 0; i < counts.size(); i++) {
      bump.append(i == 0 ? "(?, ?)" : ", (?, ?)");
      read.append(i == 0 ? "?" : ", ?");
    }
    bump.append(" ON DUPLICATE KEY UPDATE last_seq = last_seq + VALUES(last_seq)");
    read.append(") FOR UPDATE");
    try (PreparedStatement upsert = connection.prepareStatement(bump.toString())) {
      int i = 1;
      for (Map.Entry<String, Integer> c : counts.entrySet()) {
        upsert.setString(i++, c.getKey());
        upsert.setLong(i++, c.getValue());
      }
      upsert.executeUpdate();
    }
    // Under the row locks the upsert took: the next seq of each conversation in this batch.
    Map<String, Long> next = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(read.toString())) {
      int i = 1;
      for (String conversation : counts.keySet()) {
        select.setString(i++, conversation);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String conversation = rows.getString(1);
          next.put(conversation, rows.getLong(2) - counts.get(conversation) + 1);
        }
      }
    }
    if (next.size() != counts.size()) {
      throw new SQLException("conversation_seq rows vanished in a sequencing batch");
    }
    List<ChatMsg> accepted = new ArrayList<>(fresh.size());
    for (Pending p : fresh) {
      long seq = next.merge(p.msg.getConversationId(), 1L, Long::sum) - 1;
      accepted.add(
          p.msg.toBuilder().setId(ids.nextId()).setSeq(seq).setSentAtMs(p.sentAtMs).build());
    }
    return accepted;
  }

  /** The messages and the batch's one outbox row (returned), and new conversations' members. */
  private static OutboxRow insert(Connection connection, List<ChatMsg> accepted)
      throws SQLException {
    OutboxRow outbox = MessageStore.insertWithOutboxRow(connection, accepted);
    insertFirstMembers(connection, accepted);
    return outbox;
  }

  private static void insertFirstMembers(Connection connection, List<ChatMsg> accepted)
      throws SQLException {
    List<ChatMsg> firsts = accepted.stream().filter(m -> m.getSeq() == 1).toList();
    if (firsts.isEmpty()) {
      return;
    }
    // A conversation's first seq records both members (one row for a note to oneself).
    try (PreparedStatement members = connection.prepareStatement(INSERT_MEMBER)) {
      for (ChatMsg m : firsts) {
        members.setLong(1, m.getFromId());
        members.setString(2, m.getConversationId());
        members.addBatch();
        members.setLong(1, m.getDestId());
        members.setString(2, m.getConversationId());
        members.addBatch();
      }
      members.executeBatch();
    }
  }
}
