package dev.switchboard.account.friends;

/** The states of a friend request, stored by name in {@code friend_request.status}. */
public enum FriendRequestStatus {
  /** Waiting for the recipient; the only state that can change. */
  PENDING,
  ACCEPTED,
  REJECTED,
  /** Withdrawn by the sender, or closed by a block between the two. */
  CANCELLED
}
