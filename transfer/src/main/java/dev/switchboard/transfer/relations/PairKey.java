package dev.switchboard.transfer.relations;

/**
 * Two users as an unordered pair: {@code a} is always the smaller id, so that (alice, bob) and
 * (bob, alice) are the same cache entry and one invalidation covers both directions.
 */
public record PairKey(long a, long b) {
  public PairKey {
    if (a <= 0 || b <= 0) {
      throw new IllegalArgumentException("user ids must be > 0, not " + a + " and " + b);
    }
    if (a > b) {
      throw new IllegalArgumentException("a must be the smaller id; use PairKey.of");
    }
  }

  public static PairKey of(long x, long y) {
    return new PairKey(Math.min(x, y), Math.max(x, y));
  }
}
