-- Outbox for the Kafka append, and conversation membership for offline-store's sync window.

-- When the broker acknowledged the message (set by the marker after the SENT path's own append,
-- or by a republisher). NULL: not confirmed yet, or accepted before this migration (unknown; a
-- client retry of such a message re-produces it, as it always did). Nullable and last, so MySQL
-- 8 / MariaDB add it in place (INSTANT) without rebuilding the table.
ALTER TABLE accepted_message ADD COLUMN published_at_ms BIGINT NULL;

-- The outbox proper: one row per accepted message whose Kafka append is not confirmed yet,
-- inserted in the sequencing transaction and deleted once the broker acknowledged.
--
-- Why a separate table and not INDEX(published_at_ms, sent_at_ms) on accepted_message: this table
-- only ever holds the messages in flight (normally a handful, during a Kafka outage the backlog),
-- so the republisher's scan and its claims touch a few hot pages, while an index on
-- accepted_message would grow with the whole history, would be built over the biggest table by
-- this migration, would move an entry per message when it is marked, and would need every old row
-- back-filled to non-NULL first. The cost on the hot path is the same kind: one small insert here
-- instead of one secondary index entry there.
--
-- claimed_until_ms: a republisher owns the row until then (claimed with SELECT ... FOR UPDATE SKIP
-- LOCKED), so concurrent republishers on other instances skip it instead of re-producing it in a
-- loop; if the claimer dies the claim simply expires.
CREATE TABLE unpublished_message (
  msg_id           BIGINT NOT NULL,
  sent_at_ms       BIGINT NOT NULL,
  claimed_until_ms BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (msg_id),
  KEY ix_unpublished_sent_at (sent_at_ms)
) ENGINE = InnoDB;

-- Who takes part in which conversation, written in the transaction that allocates a
-- conversation's first seq. offline-store reads it (read only) to include conversations in a
-- user's sync window before their first message is stored there (the sync barrier).
CREATE TABLE conversation_member (
  user_id         BIGINT NOT NULL,
  conversation_id VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (user_id, conversation_id)
) ENGINE = InnoDB;

-- Existing conversations: conversation_seq has exactly one row per conversation that has an
-- accepted message (its row commits with the message), which is cheaper to scan than
-- accepted_message. Both members come from the id "s_<min>_<max>".
INSERT IGNORE INTO conversation_member (user_id, conversation_id)
SELECT CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(conversation_id, '_', 2), '_', -1) AS SIGNED),
       conversation_id
  FROM conversation_seq
 WHERE conversation_id LIKE 's\_%\_%';

INSERT IGNORE INTO conversation_member (user_id, conversation_id)
SELECT CAST(SUBSTRING_INDEX(conversation_id, '_', -1) AS SIGNED), conversation_id
  FROM conversation_seq
 WHERE conversation_id LIKE 's\_%\_%';

-- Messages accepted during the last hour before this migration may have missed Kafka (the hole
-- this outbox closes): queue them for republishing. Consumers drop the duplicates by message id.
INSERT IGNORE INTO unpublished_message (msg_id, sent_at_ms)
SELECT msg_id, sent_at_ms
  FROM accepted_message
 WHERE sent_at_ms >= (UNIX_TIMESTAMP() - 3600) * 1000;
