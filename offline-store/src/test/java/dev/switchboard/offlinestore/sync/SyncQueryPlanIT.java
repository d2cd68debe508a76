package dev.switchboard.offlinestore.sync;

import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.offlinestore.it.QueryPlans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync and cursor queries read by key only, so their cost depends on the page, never on the
 * history (18,000 messages here). Plans as MariaDB 11.4 chose them, e.g. for both sides of the
 * conversation window ({@link SyncReader#MEMBERSHIP_WINDOW}, {@link ConversationMembers#WINDOW}):
 * {@code m: range on PRIMARY (Using where), c: eq_ref on PRIMARY, dc: eq_ref on PRIMARY (Using
 * where)}. The window is their union merged in Java, so it costs the two ranges.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncQueryPlanIT {
  private static final Logger log = LoggerFactory.getLogger(SyncQueryPlanIT.class);

  private QueryPlans plans;

  @BeforeAll
  void data(EmbeddedMariaDb mariaDb) throws Exception {
    plans = QueryPlans.withData(mariaDb);
  }

  @AfterAll
  void close() {
    if (plans != null) {
      plans.close();
    }
  }

  @Test
  void conversationWindow_isARangeOnTheUsersMembershipsWithPointLookups() throws Exception {
    log.info(
        "MEMBERSHIP_WINDOW: {}",
        plans.assertIndexOnly(
            SyncReader.MEMBERSHIP_WINDOW,
            QueryPlans.DEVICE,
            QueryPlans.USER,
            QueryPlans.conversation(100),
            51));
  }

  @Test
  void conversationWindowOverTransfersMemberships_isARangeWithPointLookupsToo() throws Exception {
    log.info(
        "ConversationMembers.WINDOW: {}",
        plans.assertIndexOnly(
            ConversationMembers.WINDOW,
            QueryPlans.DEVICE,
            QueryPlans.USER,
            QueryPlans.conversation(100),
            51));
    log.info(
        "ConversationMembers.WINDOW (allocated only): {}",
        plans.assertIndexOnly(
            ConversationMembers.WINDOW,
            QueryPlans.DEVICE,
            QueryPlans.USER,
            QueryPlans.allocatedOnly(10),
            51));
    plans.assertIndexOnly(
        ConversationMembers.IS_MEMBER, QueryPlans.USER, QueryPlans.allocatedOnly(3));
  }

  @Test
  void whereTheContiguousRunEnds_isARangeOnTheConversationsSeqs() throws Exception {
    log.info(
        "STORED_SEQS_AFTER: {}",
        plans.assertIndexOnly(SyncReader.STORED_SEQS_AFTER, QueryPlans.conversation(5), 30, 100));
    log.info(
        "IS_STORED: {}",
        plans.assertIndexOnly(SyncReader.IS_STORED, QueryPlans.conversation(5), 31));
  }

  @Test
  void messagesAfterTheCursor_areARangeOnTheConversationsSeqs() throws Exception {
    log.info(
        "MESSAGES_AFTER: {}",
        plans.assertIndexOnly(SyncReader.MESSAGES_AFTER, QueryPlans.conversation(5), 30, 100));
  }

  @Test
  void receiptsAfterTheCursor_areARangeOnTheUsersReceiptNumbers() throws Exception {
    log.info(
        "RECEIPTS_AFTER: {}",
        plans.assertIndexOnly(SyncReader.RECEIPTS_AFTER, QueryPlans.USER, 100, 101));
    plans.assertIndexOnly(SyncReader.RECEIPT_CURSOR, QueryPlans.USER, QueryPlans.DEVICE);
  }

  @Test
  void storedAndAllocatedHeads_arePointReads() throws Exception {
    plans.assertIndexOnly(
        SyncReader.STORED_HEADS_PREFIX + "?, ?, ?)",
        QueryPlans.conversation(1),
        QueryPlans.conversation(2),
        QueryPlans.conversation(3));
  }

  @Test
  void cursorQueries_arePointOrRangeReads() throws Exception {
    plans.assertIndexOnly(DeliveryCursors.IS_MEMBER, QueryPlans.USER, QueryPlans.conversation(9));
    plans.assertIndexOnly(
        DeliveryCursors.CURSORS_WHERE
            + DeliveryCursors.CURSOR_KEY
            + " OR "
            + DeliveryCursors.CURSOR_KEY,
        QueryPlans.USER,
        QueryPlans.DEVICE,
        QueryPlans.conversation(9),
        QueryPlans.USER,
        QueryPlans.DEVICE,
        QueryPlans.conversation(8));
    plans.assertIndexOnly(
        AllocatedSeqs.SELECT_PREFIX + "?, ?)",
        QueryPlans.conversation(9),
        QueryPlans.allocatedOnly(9));
    plans.assertIndexOnly(DeliveryCursors.RECEIPT_SEQ, QueryPlans.A_RECEIPT_ID, QueryPlans.USER);
    plans.assertIndexOnly(ReadMarks.READ_SEQ, QueryPlans.USER, QueryPlans.conversation(9));
  }
}
