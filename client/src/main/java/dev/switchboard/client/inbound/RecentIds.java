package dev.switchboard.client.inbound;

/**
 * The last {@code capacity} message ids seen, forgotten oldest first; the memory behind the SDK's
 * "never surface an id twice" rule.
 *
 * <p>Primitive arrays rather than a {@code LinkedHashMap<Long, ?>}: a benchmark runs thousands of
 * clients in one JVM, and boxed entries cost about ten times as much per id. The insertion order
 * lives in a ring, membership in an open-addressing table (linear probing, backward-shift deletion,
 * load factor at most 1/2). Both start small and grow up to the capacity, so an idle client costs
 * next to nothing. Id 0 means "no id" on the wire and is never remembered.
 *
 * <p>Not thread-safe: the client confines it to its event loop.
 */
public final class RecentIds {

  private static final int INITIAL_SLOTS = 16;

  private final int capacity;
  private long[] ring; // insertion order; once full, ring[oldest] is the next to be forgotten
  private int oldest;
  private int size;
  private long[] table; // 0 = empty slot
  private int mask;

  public RecentIds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.ring = new long[Math.min(capacity, INITIAL_SLOTS)];
    this.table = new long[INITIAL_SLOTS * 2];
    this.mask = table.length - 1;
  }

  /**
   * Remembers {@code id}; returns false if it was already remembered (a duplicate). Id 0 is never a
   * duplicate.
   */
  public boolean add(long id) {
    if (id == 0) {
      return true;
    }
    if (contains(id)) {
      return false;
    }
    if (size == capacity) {
      remove(ring[oldest]);
      ring[oldest] = id;
      oldest = (oldest + 1) % capacity;
    } else {
      if (size == ring.length) {
        ring = java.util.Arrays.copyOf(ring, Math.min(capacity, ring.length * 2));
      }
      ring[size++] = id;
      if ((size) * 2 > table.length) {
        rehash(table.length * 2);
      }
    }
    insert(id);
    return true;
  }

  public boolean contains(long id) {
    if (id == 0) {
      return false;
    }
    for (int i = slot(id); ; i = (i + 1) & mask) {
      long v = table[i];
      if (v == id) {
        return true;
      }
      if (v == 0) {
        return false;
      }
    }
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return capacity;
  }

  private int slot(long id) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void insert(long id) {
    int i = slot(id);
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = id;
  }

  private void remove(long id) {
    int i = slot(id);
    while (table[i] != id) {
      if (table[i] == 0) {
        return;
      }
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: pull later entries of the probe chain into the hole so that lookups
    // never stop early at it.
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      long v = table[j];
      if (v == 0) {
        table[hole] = 0;
        return;
      }
      int home = slot(v);
      boolean staysPut = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!staysPut) {
        table[hole] = v;
        hole = j;
      }
    }
  }

  private void rehash(int newLength) {
    long[] old = table;
    table = new long[newLength];
    mask = newLength - 1;
    for (long v : old) {
      if (v != 0) {
        insert(v);
      }
    }
  }
}
