package dev.switchboard.offlinestore.ingest;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.offlinestore.ops.OfflineMetrics;
import dev.switchboard.offlinestore.store.SqlErrors;
import dev.switchboard.offlinestore.store.StoreProgress;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the message log, on its own thread: poll a batch, store it in one MySQL
 * transaction ({@link BatchWriter}), and only then commit its offsets. At least once plus
 * idempotent writes gives exactly-once rows.
 *
 * <p>Errors are sorted as in Kafka's {@code examples/Consumer.java}:
 *
 * <ul>
 *   <li><b>stop</b>: authentication/authorization failures, an invalid topic, a broker too old, a
 *       fenced static member; nothing this consumer can fix. It stops; the group moves its
 *       partitions to the other instances, and {@code offline.ingest.consumers.running} drops.
 *   <li><b>seek and retry</b>: the batch could not be stored (MySQL down, lock conflicts). The
 *       consumer seeks every partition back to the batch's first offset, waits with exponential
 *       backoff and reads the same records again: nothing is ever skipped. It keeps polling, so a
 *       long outage does not cost its group membership.
 *   <li><b>log and continue</b>: a record that cannot be decoded (garbage, a required field
 *       missing) is counted, logged with topic/partition/offset, and skipped; retrying would not
 *       make it valid. Other (retriable) Kafka errors are logged and the loop polls again.
 * </ul>
 *
 * <p>Anything unexpected (a bug, or a test's injected crash) stops the consumer like a crash:
 * offsets still in doubt are not committed, so the batch is read again by whoever takes over.
 */
public final class IngestWorker {
  private static final Logger log = LoggerFactory.getLogger(IngestWorker.class);

  /** Leaving the group is quick; this only bounds a broker that stopped answering. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final EventDecoder decoder = new EventDecoder();
  private final BatchWriter writer;
  private final IngestHooks hooks;
  private final StoreProgress progress;
  private final OfflineMetrics metrics;
  private final Duration pollTimeout;
  private final Duration backoffMin;
  private final Duration backoffMax;
  private final RateLimitedLog outages = new RateLimitedLog(log, 10_000);
  private final RateLimitedLog badRecords = new RateLimitedLog(log, 10_000);

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean started;
  private volatile boolean running;

  /** Offsets whose records are in MySQL but not yet committed to Kafka. Consumer thread only. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();

  /** After an unexpected failure nothing more is committed. Consumer thread only. */
  private boolean crashed;

  /** The process is being killed ({@link #halt}): nothing more is committed. Any thread. */
  private volatile boolean halted;

  public IngestWorker(
      String name,
      Consumer<byte[], byte[]> consumer,
      String topic,
      BatchWriter writer,
      IngestHooks hooks,
      StoreProgress progress,
      OfflineMetrics metrics,
      Duration pollTimeout,
      Duration backoffMin,
      Duration backoffMax) {
    this.name = name;
    this.consumer = consumer;
    this.topic = topic;
    this.writer = writer;
    this.hooks = hooks;
    this.progress = progress;
    this.metrics = metrics;
    this.pollTimeout = pollTimeout;
    this.backoffMin = backoffMin;
    this.backoffMax = backoffMax;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  /** Starts consuming on this worker's own thread. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    thread.start();
  }

  /** True from the first poll until the consumer stopped (closed, fatal error, crash). */
  public boolean running() {
    return running;
  }

  private void run() {
    running = true;
    try {
      consumer.subscribe(List.of(topic), new CommitOnRevoke());
      loop();
    } catch (RuntimeException | Error e) {
      crashed = true;
      uncommitted.clear();
      log.error(
          "consumer {} stopped by an unexpected error; offsets in doubt not committed", name, e);
    } finally {
      running = false;
      closeConsumer();
      stopped.countDown();
    }
  }

  private void loop() {
    Duration backoff = backoffMin;
    while (!stopRequested()) {
      ConsumerRecords<byte[], byte[]> records;
      try {
        records = consumer.poll(pollTimeout);
      } catch (WakeupException e) {
        continue; // close() woke us up; the loop condition decides
      } catch (AuthenticationException
          | AuthorizationException
          | InvalidTopicException
          | UnsupportedVersionException
          | FencedInstanceIdException e) {
        metrics.kafkaError();
        log.error("consumer {} stopped: Kafka refuses it ({}); fix the setup", name, e.toString());
        return;
      } catch (RecordDeserializationException e) {
        skipCorrupt(e);
        continue;
      } catch (KafkaException e) {
        metrics.kafkaError();
        outages.warn("consumer {} poll failed, polling again: {}", name, e.toString());
        continue;
      }
      if (records.isEmpty()) {
        continue;
      }
      if (store(records)) {
        backoff = backoffMin;
        commit(nextOffsets(records), records.count());
      } else {
        seekToBatchStart(records);
        if (await(backoff)) {
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(backoffMax) > 0
                ? backoffMax
                : backoff.multipliedBy(2);
      }
    }
  }

  /**
   * Decodes and writes one batch.
   *
   * @return false if MySQL did not take it (nothing of it is stored), so it must be read again
   */
  private boolean store(ConsumerRecords<byte[], byte[]> records) {
    List<ChatMsg> chats = new ArrayList<>();
    List<AckMsg> receipts = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    int unknown = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      LogEvent event = decoder.decode(record.value());
      if (event instanceof LogEvent.Chat chat) {
        chats.add(chat.msg());
      } else if (event instanceof LogEvent.Receipt receipt) {
        receipts.add(receipt.ack());
      } else if (event instanceof LogEvent.Invalid invalid) {
        rejected.add(new Rejected(record, invalid.reason()));
      } else {
        unknown++;
      }
    }
    long startedAt = System.nanoTime();
    try {
      writer.write(chats, receipts);
    } catch (SQLException e) {
      metrics.databaseFailure();
      if (SqlErrors.isUnavailable(e) || SqlErrors.isRetryableConflict(e)) {
        outages.warn(
            "consumer {}: batch of {} records not stored, retrying: {}",
            name,
            records.count(),
            e.toString());
      } else {
        // Not an outage: a schema or SQL problem. Still retried (skipping would lose messages),
        // loudly, until someone fixes it.
        log.error("consumer {}: batch of {} records failed, retrying", name, records.count(), e);
      }
      return false;
    }
    metrics.batchStored(chats.size(), receipts.size(), System.nanoTime() - startedAt);
    // Counted only once the batch is through, so a retried batch does not count them twice.
    for (Rejected r : rejected) {
      metrics.invalidRecord();
      badRecords.warn(
          "consumer {} skipped record {}-{}@{}: {}",
          name,
          r.record().topic(),
          r.record().partition(),
          r.record().offset(),
          r.reason());
    }
    for (int i = 0; i < unknown; i++) {
      metrics.unknownRecord();
    }
    progress.advanced();
    return true;
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets, int records) {
    uncommitted.putAll(offsets);
    hooks.afterDatabaseCommit(records);
    commitUncommitted();
  }

  private void commitUncommitted() {
    if (uncommitted.isEmpty() || !mayCommit()) {
      return;
    }
    try {
      consumer.commitSync(uncommitted);
      uncommitted.clear();
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // The group moved on without us; the partitions' new owners read from the last commit
      // (our writes are idempotent), and the offsets are not ours to commit anymore.
      metrics.commitFailure();
      log.warn("consumer {} could not commit after a rebalance: {}", name, e.toString());
      uncommitted.clear();
    } catch (WakeupException e) {
      // close() is waiting; the final commit in closeConsumer() tries once more.
    } catch (KafkaException e) {
      // Retriable (coordinator moved, timeout): kept, and committed with the next batch.
      metrics.commitFailure();
      outages.warn("consumer {} offset commit failed, will retry: {}", name, e.toString());
    }
  }

  /** Skips a record the client cannot even hand over (corrupt batch): log, count, move on. */
  private void skipCorrupt(RecordDeserializationException e) {
    metrics.invalidRecord();
    log.warn(
        "consumer {} skipped undecodable record {}@{}: {}",
        name,
        e.topicPartition(),
        e.offset(),
        e.getMessage());
    consumer.seek(e.topicPartition(), e.offset() + 1);
  }

  private void seekToBatchStart(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      consumer.seek(partition, records.records(partition).get(0).offset());
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
      offsets.put(
          partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
    }
    return offsets;
  }

  /**
   * @return true if a stop was requested while waiting
   */
  private boolean await(Duration backoff) {
    try {
      return stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private boolean stopRequested() {
    return stopRequested.getCount() == 0 || Thread.currentThread().isInterrupted();
  }

  private boolean mayCommit() {
    return !crashed && !halted;
  }

  private void closeConsumer() {
    try {
      commitUncommitted();
    } catch (RuntimeException e) {
      log.warn("consumer {} final commit failed: {}", name, e.toString());
    }
    try {
      // A halted (killed) member leaves the group too: the broker would drop it after the session
      // timeout anyway, and fault tests need not wait for that.
      consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    } catch (RuntimeException e) {
      log.warn("consumer {} did not close cleanly: {}", name, e.toString());
    }
  }

  /**
   * Asks the loop to stop (it finishes or abandons the batch in hand), waits for the consumer to
   * commit what is stored and leave the group.
   *
   * @return false if it did not stop within {@code timeout}
   */
  public boolean stop(Duration timeout) throws InterruptedException {
    synchronized (this) {
      stopRequested.countDown();
      if (!started) {
        // Never polled: nothing stored, nothing to commit; only the client to release.
        started = true;
        consumer.close(CloseOptions.timeout(Duration.ZERO));
        stopped.countDown();
        return true;
      }
    }
    consumer.wakeup();
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * For fault tests: the process dies now. From this call on nothing is committed to Kafka, not
   * even for a batch already in MySQL (it is read again by the next owner of its partitions); the
   * loop abandons the batch in hand and the thread ends on its own. Does not wait, so it may be
   * called from this worker's own thread (an {@link IngestHooks} callback).
   */
  public synchronized void halt() {
    if (halted) {
      return;
    }
    halted = true;
    stopRequested.countDown();
    if (!started) {
      started = true;
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      stopped.countDown();
      return;
    }
    consumer.wakeup();
  }

  /** Before partitions move to another consumer, commit what is stored (not after a crash). */
  private final class CommitOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("consumer {} assigned {}", name, partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = uncommitted.remove(partition);
        if (offset != null) {
          revoked.put(partition, offset);
        }
      }
      if (!revoked.isEmpty() && mayCommit()) {
        try {
          consumer.commitSync(revoked);
        } catch (KafkaException e) {
          metrics.commitFailure();
          log.warn("consumer {} could not commit revoked {}: {}", name, revoked, e.toString());
        }
      }
      if (!partitions.isEmpty()) {
        log.info("consumer {} revoked {}", name, partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Already owned by someone else: committing would be refused; they re-read from the last
      // commit.
      partitions.forEach(uncommitted::remove);
      log.info("consumer {} lost {}", name, partitions);
    }
  }

  private record Rejected(ConsumerRecord<byte[], byte[]> record, String reason) {}
}
