-- Friends, friend requests and blocks. Owned and written by account-api only; transfer READS
-- friendship and user_block for its message policy, by primary key in both directions, so names
-- and columns are a contract with transfer: change them only together with it.
--
-- Every change of a request, and every change that creates a friendship or a block, runs in one
-- transaction that first locks both users rows (SELECT ... FOR UPDATE, ascending id), so changes
-- of one pair, and the friend / pending counts of one user, are serialized. Removing a friendship
-- or a block is a single DELETE. No foreign keys: rows are written only after that locked
-- existence check, users are never deleted yet, and transfer's tests can seed these tables alone.

-- Symmetric: a friendship is TWO rows, (a, b) and (b, a), written and deleted together, so
-- "is b a friend of a" is one primary-key read whichever side asks.
CREATE TABLE friendship (
  user_id    BIGINT       NOT NULL,
  friend_id  BIGINT       NOT NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (user_id, friend_id),
  CONSTRAINT ck_friendship_not_self CHECK (user_id <> friend_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One row per ordered pair (from, to), reused when the same person asks again (message updated,
-- back to PENDING): the unique key makes a repeated request idempotent.
CREATE TABLE friend_request (
  id           BIGINT       NOT NULL AUTO_INCREMENT,
  from_user_id BIGINT       NOT NULL,
  to_user_id   BIGINT       NOT NULL,
  message      VARCHAR(200) NULL,
  status       VARCHAR(16)  NOT NULL,
  created_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at   TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  CONSTRAINT uk_friend_request_pair UNIQUE (from_user_id, to_user_id),
  INDEX ix_friend_request_to_status (to_user_id, status),
  INDEX ix_friend_request_from_status (from_user_id, status),
  CONSTRAINT ck_friend_request_status
    CHECK (status IN ('PENDING', 'ACCEPTED', 'REJECTED', 'CANCELLED')),
  CONSTRAINT ck_friend_request_not_self CHECK (from_user_id <> to_user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- user_id blocked blocked_user_id. Read in both directions by primary key: "either side blocked".
CREATE TABLE user_block (
  user_id         BIGINT       NOT NULL,
  blocked_user_id BIGINT       NOT NULL,
  created_at      TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (user_id, blocked_user_id),
  CONSTRAINT ck_user_block_not_self CHECK (user_id <> blocked_user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
