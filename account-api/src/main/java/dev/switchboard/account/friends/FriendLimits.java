package dev.switchboard.account.friends;

/**
 * @param maxFriends most friends one user may have
 * @param maxPendingRequests most outgoing pending requests one user may have
 */
public record FriendLimits(int maxFriends, int maxPendingRequests) {
  public FriendLimits {
    if (maxFriends <= 0 || maxPendingRequests <= 0) {
      throw new IllegalArgumentException("friend limits must be positive");
    }
  }
}
