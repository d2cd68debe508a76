package dev.switchboard.transfer.relations;

import java.util.Collection;

/**
 * What InvalidateRelations does: account-api changed the friendship or block of these pairs, so
 * their cached relations and both users' cached friend lists are dropped at once.
 */
public final class RelationChanges {
  private final RelationCache relations;
  private final FriendDirectory friends;

  public RelationChanges(RelationCache relations, FriendDirectory friends) {
    this.relations = relations;
    this.friends = friends;
  }

  public void changed(Collection<PairKey> pairs) {
    relations.invalidate(pairs);
    for (PairKey pair : pairs) {
      friends.invalidate(pair.a());
      friends.invalidate(pair.b());
    }
  }
}
