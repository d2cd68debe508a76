package dev.switchboard.offlinestore.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The meters of an offline-store instance, registered once. RPC timings: RpcMetricsInterceptor. */
public final class OfflineMetrics {
  private final Counter chatsStored;
  private final Counter receiptsStored;
  private final Timer batchWrite;
  private final Counter invalidRecords;
  private final Counter unknownRecords;
  private final Counter databaseFailures;
  private final Counter kafkaErrors;
  private final Counter commitFailures;
  private final Counter syncMessages;
  private final Counter syncReceipts;
  private final Timer syncWait;
  private final Counter cursorClamped;

  public OfflineMetrics(MeterRegistry registry) {
    chatsStored =
        Counter.builder("offline.ingest.records")
            .description("Records written to MySQL (replays included, they are no-ops)")
            .tag("type", "chat")
            .register(registry);
    receiptsStored =
        Counter.builder("offline.ingest.records")
            .description("Records written to MySQL (replays included, they are no-ops)")
            .tag("type", "receipt")
            .register(registry);
    batchWrite =
        Timer.builder("offline.ingest.batch")
            .description("One batch's MySQL transaction")
            .publishPercentileHistogram()
            .register(registry);
    invalidRecords =
        Counter.builder("offline.ingest.invalid")
            .description("Records skipped because they are not a usable MessageEvent")
            .register(registry);
    unknownRecords =
        Counter.builder("offline.ingest.unknown")
            .description("MessageEvents of a kind this version does not store")
            .register(registry);
    databaseFailures =
        Counter.builder("offline.ingest.db.failures")
            .description("Batches MySQL did not take; each is read again after a backoff")
            .register(registry);
    kafkaErrors =
        Counter.builder("offline.ingest.kafka.errors")
            .description("Errors from Kafka polls")
            .register(registry);
    commitFailures =
        Counter.builder("offline.ingest.commit.failures")
            .description("Offset commits that failed (the records are replayed, idempotently)")
            .register(registry);
    syncMessages =
        Counter.builder("offline.sync.messages")
            .description("Messages returned by Sync")
            .register(registry);
    syncReceipts =
        Counter.builder("offline.sync.receipts")
            .description("Receipts returned by Sync")
            .register(registry);
    syncWait =
        Timer.builder("offline.sync.wait")
            .description("Time Sync waited for allocated messages to be stored")
            .register(registry);
    cursorClamped =
        Counter.builder("offline.cursor.clamped")
            .description("AdvanceCursor claims above the conversation's head (a client bug)")
            .register(registry);
  }

  public void batchStored(int chats, int receipts, long nanos) {
    chatsStored.increment(chats);
    receiptsStored.increment(receipts);
    batchWrite.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void invalidRecord() {
    invalidRecords.increment();
  }

  public void unknownRecord() {
    unknownRecords.increment();
  }

  public void databaseFailure() {
    databaseFailures.increment();
  }

  public void kafkaError() {
    kafkaErrors.increment();
  }

  public void commitFailure() {
    commitFailures.increment();
  }

  public void syncPage(int messages, int receipts) {
    syncMessages.increment(messages);
    syncReceipts.increment(receipts);
  }

  public void syncWaited(long nanos) {
    syncWait.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void cursorClamped() {
    cursorClamped.increment();
  }

  // Read by tests and by whoever watches the instance.
  public double invalidRecords() {
    return invalidRecords.count();
  }

  public double databaseFailures() {
    return databaseFailures.count();
  }

  public double chatsStored() {
    return chatsStored.count();
  }
}
