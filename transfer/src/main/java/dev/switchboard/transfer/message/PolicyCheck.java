package dev.switchboard.transfer.message;

import dev.switchboard.transfer.relations.Relation;
import dev.switchboard.transfer.relations.RelationCache;
import java.util.Optional;

/**
 * The message policy between a sender and a recipient, answered from the {@link RelationCache}.
 *
 * <ul>
 *   <li>A block, in either direction, refuses chat messages and receipts under every policy.
 *   <li>Under {@link MessagePolicy#FRIENDS_ONLY} a chat message needs a friendship. Receipts do
 *       not: after an unfriend the other side may still acknowledge what it received before.
 *   <li>A note to yourself is always allowed and costs no lookup.
 * </ul>
 */
public final class PolicyCheck {
  private final MessagePolicy policy;
  private final RelationCache relations;

  public PolicyCheck(MessagePolicy policy, RelationCache relations) {
    this.policy = policy;
    this.relations = relations;
  }

  /**
   * @return why {@code fromId} may not send a chat message to {@code destId}, if it may not
   * @throws dev.switchboard.transfer.db.StoreUnavailableException if the relation must be read and
   *     the database is unreachable
   */
  public Optional<Refusal> checkChat(long fromId, long destId) {
    if (fromId == destId) {
      return Optional.empty();
    }
    Relation relation = relations.relation(fromId, destId);
    if (relation.blocked()) {
      return Optional.of(Refusal.blocked(destId));
    }
    if (policy == MessagePolicy.FRIENDS_ONLY && !relation.friends()) {
      return Optional.of(Refusal.notFriends(destId));
    }
    return Optional.empty();
  }

  /** Like {@link #checkChat} for a DELIVERED/READ receipt: only a block refuses it. */
  public Optional<Refusal> checkReceipt(long fromId, long destId) {
    if (fromId == destId) {
      return Optional.empty();
    }
    return relations.relation(fromId, destId).blocked()
        ? Optional.of(Refusal.blocked(destId))
        : Optional.empty();
  }

  public MessagePolicy policy() {
    return policy;
  }
}
