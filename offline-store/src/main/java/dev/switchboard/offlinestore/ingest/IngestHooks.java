package dev.switchboard.offlinestore.ingest;

/**
 * Points in the consumer's cycle where tests inject faults (a crash between the MySQL commit and
 * the offset commit). Production uses {@link #NONE}.
 */
public interface IngestHooks {
  IngestHooks NONE = new IngestHooks() {};

  /**
   * Runs after a batch's MySQL transaction committed and before its Kafka offsets are committed. An
   * exception here stops the consumer the way a crash would: nothing more is committed to Kafka, so
   * the batch is delivered again to whoever takes over the partitions.
   *
   * @param records the records in the batch
   */
  default void afterDatabaseCommit(int records) {}
}
