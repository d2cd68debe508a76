package dev.switchboard.transfer.relations;

/**
 * What the message policy needs to know about a pair of users ({@link PairKey}: a is the smaller
 * id).
 *
 * @param friends the two are friends (a friendship row exists)
 * @param aBlockedB the user with the smaller id blocked the other
 * @param bBlockedA the user with the larger id blocked the other
 */
public record Relation(boolean friends, boolean aBlockedB, boolean bBlockedA) {
  /** No friendship, no block: also the answer while account-api's tables do not exist yet. */
  public static final Relation STRANGERS = new Relation(false, false, false);

  /** Either of the two blocked the other. */
  public boolean blocked() {
    return aBlockedB || bBlockedA;
  }
}
