-- Transfer's sequencing state. Owned by transfer; other services never write these tables.

-- The last seq allocated per conversation. Bumped with one atomic upsert inside the same
-- transaction that inserts the message, so a rolled-back message never leaves a gap.
CREATE TABLE conversation_seq (
  conversation_id VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  last_seq        BIGINT      NOT NULL,
  PRIMARY KEY (conversation_id)
) ENGINE = InnoDB;

-- Every accepted chat message, for idempotency: a resent (sender_id, client_msg_id) answers the
-- original id and seq from here. msg holds the serialized ChatMsg exactly as it was written to
-- Kafka, so a retry re-produces the identical record.
CREATE TABLE accepted_message (
  msg_id          BIGINT      NOT NULL,
  sender_id       BIGINT      NOT NULL,
  client_msg_id   VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  conversation_id VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  seq             BIGINT      NOT NULL,
  sent_at_ms      BIGINT      NOT NULL,
  msg             MEDIUMBLOB  NOT NULL,
  PRIMARY KEY (msg_id),
  UNIQUE KEY uk_accepted_sender_client_msg (sender_id, client_msg_id),
  UNIQUE KEY uk_accepted_conversation_seq (conversation_id, seq)
) ENGINE = InnoDB;
