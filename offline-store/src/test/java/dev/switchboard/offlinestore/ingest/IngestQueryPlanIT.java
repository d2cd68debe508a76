package dev.switchboard.offlinestore.ingest;

import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.it.QueryPlans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's contiguous-watermark reads are point reads and ranges on primary keys, so keeping
 * the watermark costs the same whatever the conversation's length.
 */
@ExtendWith(InfraExtension.class)
class IngestQueryPlanIT {
  private static final Logger log = LoggerFactory.getLogger(IngestQueryPlanIT.class);

  @Test
  void contiguousWatermarkReads_arePointReadsAndRangesOnPrimaryKeys(EmbeddedMariaDb mariaDb)
      throws Exception {
    try (QueryPlans plans = QueryPlans.withData(mariaDb)) {
      log.info(
          "CONVERSATION_HEADS: {}",
          plans.assertIndexOnly(
              BatchWriter.CONVERSATION_HEADS_PREFIX + "?, ?)",
              QueryPlans.conversation(1),
              QueryPlans.conversation(2)));
      log.info(
          "STORED_SEQS_AFTER (run after a filled hole): {}",
          plans.assertIndexOnly(
              BatchWriter.STORED_SEQS_AFTER, QueryPlans.conversation(4), 10, 500));
      plans.assertIndexOnly(BatchWriter.IS_STORED, QueryPlans.conversation(4), 11);
    }
  }
}
