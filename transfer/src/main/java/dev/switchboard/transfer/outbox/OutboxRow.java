package dev.switchboard.transfer.outbox;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code outbox_batch} row as its sequencing transaction wrote it: the messages of one batch,
 * counted down as the broker acknowledges them. The row may be deleted once every one of them is
 * acknowledged; until then a republisher would produce them all again (see V3__outbox_batches.sql).
 */
public final class OutboxRow {
  private final long id;
  private final AtomicInteger unconfirmed;

  /**
   * @param id the row's id: the smallest message id of the batch
   * @param messages how many messages it names
   */
  public OutboxRow(long id, int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("an outbox row names at least one message");
    }
    this.id = id;
    this.unconfirmed = new AtomicInteger(messages);
  }

  public long id() {
    return id;
  }

  /**
   * One of the row's messages was acknowledged (call once per message).
   *
   * @return true for the last one: the row can go
   */
  public boolean confirmOne() {
    return unconfirmed.decrementAndGet() == 0;
  }

  /** The msg_ids column: 8 bytes per id, big-endian. */
  public static byte[] pack(Collection<Long> msgIds) {
    ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES * msgIds.size());
    msgIds.forEach(buffer::putLong);
    return buffer.array();
  }

  /** The ids of a msg_ids column; refuses a value that is not a whole number of ids. */
  public static List<Long> unpack(byte[] packed) {
    if (packed.length % Long.BYTES != 0) {
      throw new IllegalArgumentException(
          "outbox_batch.msg_ids holds " + packed.length + " bytes, not a multiple of 8");
    }
    ByteBuffer buffer = ByteBuffer.wrap(packed);
    List<Long> ids = new ArrayList<>(packed.length / Long.BYTES);
    while (buffer.hasRemaining()) {
      ids.add(buffer.getLong());
    }
    return ids;
  }
}
