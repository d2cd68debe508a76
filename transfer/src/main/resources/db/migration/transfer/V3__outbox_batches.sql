-- The outbox keeps one row per sequencing batch instead of one per message.
--
-- Why: a per-message row cost an insert in the sequencing transaction, then a delete and an
-- update of accepted_message.published_at_ms once the broker acknowledged, each with its undo,
-- redo and purge. In a max-throughput run these were 40 % of the MySQL time of transfer's
-- connections, more than sequencing itself. A batch of any size now costs one row in and one row
-- out. What a row guarantees is unchanged: every message it names is re-produced unless all of
-- them were acknowledged; a republish may produce an acknowledged message of the batch again,
-- which consumers drop by message id as they always did.

-- msg_ids: the batch's message ids, 8 bytes each, big-endian. id: the smallest of them (message ids
-- are unique, so these are too). claimed_until_ms as before (see V2).
CREATE TABLE outbox_batch (
  id               BIGINT     NOT NULL,
  sent_at_ms       BIGINT     NOT NULL,
  claimed_until_ms BIGINT     NOT NULL DEFAULT 0,
  msg_ids          MEDIUMBLOB NOT NULL,
  PRIMARY KEY (id),
  KEY ix_outbox_batch_sent_at (sent_at_ms)
) ENGINE = InnoDB;

-- The outbox row a message was accepted with. A message is known to be in Kafka when it has one and
-- the row is gone, or when published_at_ms is set (written by transfer before this migration, no
-- longer). Both unset: accepted before V2, unknown, as before. Nullable and last: added in place.
ALTER TABLE accepted_message ADD COLUMN outbox_id BIGINT NULL;

-- Renamed first, in one atomic step: an instance still running the previous version fails to write
-- its outbox row from here on, so its sequencing transaction rolls back and takes no seq, instead
-- of committing a row that the copy below would miss.
RENAME TABLE unpublished_message TO unpublished_message_v2;

INSERT INTO outbox_batch (id, sent_at_ms, claimed_until_ms, msg_ids)
SELECT msg_id, sent_at_ms, claimed_until_ms, UNHEX(LPAD(HEX(msg_id), 16, '0'))
  FROM unpublished_message_v2;

UPDATE accepted_message a
  JOIN unpublished_message_v2 u ON u.msg_id = a.msg_id
   SET a.outbox_id = a.msg_id;

DROP TABLE unpublished_message_v2;
