-- The conversation's contiguous watermark: every seq 1..contiguous_seq is stored here, and
-- contiguous_seq + 1 is not (yet).
--
-- Kafka order is not seq order: transfer instances allocate 7 and 8, and 8 can reach the log (and
-- this store) first. last_seq then says 8 while 7 is still in flight. Sync must not hand out 8
-- before 7 (a device acknowledges its contiguous watermark, so 7 would be skipped for good) and
-- must report the hole as in flight; this column lets it know where the first hole is with one
-- primary key read instead of scanning the seqs after a device's cursor.
--
-- The consumer raises it in the batch transaction that stores the missing seq, under the
-- conversation row's lock (see BatchWriter), so it is exact after every commit.
ALTER TABLE conversation ADD COLUMN contiguous_seq BIGINT NOT NULL DEFAULT 0 AFTER last_seq;

-- Existing conversations: the end of the run that starts at seq 1 (0 if seq 1 is missing), i.e.
-- the lowest stored seq whose successor is not stored. One pass over the stored history, once.
UPDATE conversation c
SET c.contiguous_seq = (
  SELECT COALESCE(MIN(m.seq), 0)
  FROM message m
  WHERE m.conversation_id = c.conversation_id
    AND NOT EXISTS (
      SELECT 1 FROM message n WHERE n.conversation_id = m.conversation_id AND n.seq = m.seq + 1))
WHERE EXISTS (
  SELECT 1 FROM message o WHERE o.conversation_id = c.conversation_id AND o.seq = 1);
