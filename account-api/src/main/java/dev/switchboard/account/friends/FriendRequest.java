package dev.switchboard.account.friends;

import java.time.Instant;

/**
 * A row of {@code friend_request}: {@code fromUserId} asks {@code toUserId} to be friends.
 *
 * @param message the sender's note, null when none
 * @param createdAt when this request was made (or made again after it was closed)
 * @param updatedAt the last change: a new message, or a state change
 */
public record FriendRequest(
    long id,
    long fromUserId,
    long toUserId,
    String message,
    FriendRequestStatus status,
    Instant createdAt,
    Instant updatedAt) {

  public boolean isPending() {
    return status == FriendRequestStatus.PENDING;
  }
}
