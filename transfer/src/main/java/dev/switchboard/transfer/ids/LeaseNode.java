package dev.switchboard.transfer.ids;

/**
 * The ephemeral node that holds a worker id, reduced to what {@link WorkerIdLease} needs to decide
 * whether it still holds it. ZooKeeper in production ({@link ZooKeeperLeaseNode}).
 */
interface LeaseNode {
  /** Who holds the number right now. */
  enum Holder {
    /** Our node, owned by our current session: the lease is good. */
    OURS,
    /** Our node, but owned by an earlier session that the server has not expired yet. */
    OURS_STALE,
    /** Another instance's node: the number is lost for good. */
    OTHER,
    /** No node: the number is free. */
    NONE
  }

  Holder holder() throws Exception;

  /** Creates our node under the current session; false if a node exists already. */
  boolean create() throws Exception;

  /** Deletes the node if it is ours (on close). */
  void release() throws Exception;

  String path();
}
