package dev.switchboard.account.friends;

/**
 * Expected refusals of friend, request and block operations. The web layer maps each to one problem
 * code.
 */
public enum RelationError {
  /** A friend request to oneself. */
  REQUEST_TO_SELF,
  /** Blocking oneself. */
  BLOCK_SELF,
  USER_NOT_FOUND,
  ALREADY_FRIENDS,
  /** One of the two blocked the other. */
  BLOCKED,
  FRIEND_LIMIT_REACHED,
  PENDING_LIMIT_REACHED,
  REQUEST_NOT_FOUND,
  /** The caller is not the party who may act on that request. */
  NOT_YOUR_REQUEST,
  REQUEST_NOT_PENDING,
  NOT_FRIENDS
}
