package dev.switchboard.transfer.relations;

/** Reads the relation of one pair from where account-api keeps it. */
@FunctionalInterface
public interface RelationLoader {

  /**
   * @throws dev.switchboard.transfer.db.StoreUnavailableException if the database is unreachable
   * @throws dev.switchboard.transfer.db.StoreFailureException on other database errors
   */
  Relation load(PairKey pair);
}
