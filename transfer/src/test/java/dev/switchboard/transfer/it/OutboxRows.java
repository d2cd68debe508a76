package dev.switchboard.transfer.it;

/** What the outbox (outbox_batch, V3) says about accepted messages, for assertions. */
final class OutboxRows {
  private OutboxRows() {}

  /** 1 while the outbox row the message was accepted with is there, else 0. */
  static long naming(TestDatabase db, long msgId) throws Exception {
    return db.count(
        "SELECT COUNT(*) FROM accepted_message a JOIN outbox_batch o ON o.id = a.outbox_id"
            + " WHERE a.msg_id = ?",
        msgId);
  }

  /** Known to be in Kafka: accepted with an outbox row that is gone. */
  static boolean published(TestDatabase db, long msgId) throws Exception {
    return db.count(
            "SELECT COUNT(*) FROM accepted_message a LEFT JOIN outbox_batch o ON o.id = a.outbox_id"
                + " WHERE a.msg_id = ? AND a.outbox_id IS NOT NULL AND o.id IS NULL",
            msgId)
        == 1;
  }

  static long rows(TestDatabase db) throws Exception {
    return db.count("SELECT COUNT(*) FROM outbox_batch");
  }

  /** Accepted messages not known to be in Kafka. */
  static long unconfirmedMessages(TestDatabase db) throws Exception {
    return db.count(
        "SELECT COUNT(*) FROM accepted_message a LEFT JOIN outbox_batch o ON o.id = a.outbox_id"
            + " WHERE a.outbox_id IS NULL OR o.id IS NOT NULL");
  }
}
