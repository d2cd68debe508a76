-- offline-store's tables. Owned by offline-store: other services read them only through its gRPC
-- API. Read diffusion (seed 001): a message is stored once, in its conversation; users and devices
-- keep positions in conversations instead of copies of messages.
--
-- Every write the consumer makes is idempotent (unique keys, GREATEST), because the message log is
-- delivered at least once. Nothing here is deleted or marked delivered before the device
-- acknowledged it (seed 002): positions only move through AdvanceCursor / AckReceipts.

-- Every chat message, exactly as it was on the log (msg = the serialized im.v1.ChatMsg, so fields
-- added to the proto later survive without a migration); the other columns are for queries.
--
-- The clustered key is (conversation_id, seq), not msg_id: sync and history read ranges of one
-- conversation by seq, and with this key such a range is one sequential read of the clustered
-- index, bodies included. With msg_id as the primary key every message of a page would cost a
-- random lookup. msg_id stays unique, which also makes a redelivered record a no-op.
CREATE TABLE message (
  conversation_id   VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  seq               BIGINT      NOT NULL,
  msg_id            BIGINT      NOT NULL,
  sender_id         BIGINT      NOT NULL,
  dest_id           BIGINT      NOT NULL,
  conversation_type TINYINT     NOT NULL,
  content_type      TINYINT     NOT NULL,
  sent_at_ms        BIGINT      NOT NULL,
  msg               MEDIUMBLOB  NOT NULL,
  stored_at         TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (conversation_id, seq),
  UNIQUE KEY uk_message_id (msg_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per conversation: the highest STORED seq and the message that carries it. Updated with
-- GREATEST in one statement, never read-modify-write, so batches may arrive in any order. The
-- highest ALLOCATED seq is transfer's (conversation_seq.last_seq).
CREATE TABLE conversation (
  conversation_id   VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  conversation_type TINYINT     NOT NULL,
  last_seq          BIGINT      NOT NULL,
  last_msg_id       BIGINT      NOT NULL,
  last_sent_at_ms   BIGINT      NOT NULL,
  created_at        TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (conversation_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A user's membership and per-user state in a conversation (seed 001's user conversation chain).
-- Written for both members of a single conversation on its first message; for a group, for the
-- sender (group membership itself belongs to whoever manages groups). The primary key makes
-- "all conversations of a user" one range scan.
CREATE TABLE user_conversation (
  user_id         BIGINT      NOT NULL,
  conversation_id VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  -- The other member of a single conversation; 0 for a group.
  peer_id         BIGINT      NOT NULL DEFAULT 0,
  -- Read up to and including this seq (MarkRead, READ receipts, the user's own messages).
  last_read_seq   BIGINT      NOT NULL DEFAULT 0,
  muted           BOOLEAN     NOT NULL DEFAULT FALSE,
  pinned          BOOLEAN     NOT NULL DEFAULT FALSE,
  updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (user_id, conversation_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Per device: everything up to delivered_seq of the conversation is on the device. Only
-- AdvanceCursor writes it (GREATEST). A missing row means 0: the device has nothing yet.
CREATE TABLE device_cursor (
  user_id         BIGINT      NOT NULL,
  device_id       VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  conversation_id VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  delivered_seq   BIGINT      NOT NULL,
  updated_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (user_id, device_id, conversation_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- DELIVERED/READ receipts, kept for the user who is told (AckMsg.dest_id, the original sender) so
-- an offline sender gets them at its next sync. msg = the serialized im.v1.AckMsg.
--
-- Devices page receipts by user_seq, not by id: receipt ids come from transfer's id generators
-- and reach this store through different partitions with different lag, so a receipt with a
-- LOWER id can be stored AFTER a device already passed a higher one, and would never be synced.
-- user_seq is assigned here under the row lock of the user's receipt_counter row, which is held
-- until the batch commits: per user, user_seq order is commit order, so a cursor on it never skips
-- a receipt.
CREATE TABLE receipt (
  id              BIGINT      NOT NULL,
  user_id         BIGINT      NOT NULL,
  user_seq        BIGINT      NOT NULL,
  conversation_id VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  msg_type        TINYINT     NOT NULL,
  ack_msg_id      BIGINT      NOT NULL,
  from_id         BIGINT      NOT NULL,
  seq             BIGINT      NOT NULL,
  sent_at_ms      BIGINT      NOT NULL,
  msg             BLOB        NOT NULL,
  stored_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uk_receipt_user_seq (user_id, user_seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The last user_seq handed out per user (see receipt). A redelivered receipt takes a number and
-- is then ignored, which leaves a harmless gap.
CREATE TABLE receipt_counter (
  user_id  BIGINT NOT NULL,
  last_seq BIGINT NOT NULL,
  PRIMARY KEY (user_id)
) ENGINE = InnoDB;

-- Per device: every receipt of the user up to user_seq last_receipt_seq is on the device. Only
-- AckReceipts writes it (GREATEST).
CREATE TABLE device_receipt_cursor (
  user_id          BIGINT      NOT NULL,
  device_id        VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  last_receipt_seq BIGINT      NOT NULL,
  updated_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (user_id, device_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
