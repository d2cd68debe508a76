package dev.switchboard.account.web;

import dev.switchboard.account.friends.FriendRequest;

/**
 * A friend request as the API shows it. Times are ISO-8601 strings; {@code message} is null when
 * the sender wrote none; {@code status} is PENDING, ACCEPTED, REJECTED or CANCELLED.
 */
public record FriendRequestView(
    long id,
    long fromUserId,
    long toUserId,
    String message,
    String status,
    String createdAt,
    String updatedAt) {

  static FriendRequestView of(FriendRequest request) {
    return new FriendRequestView(
        request.id(),
        request.fromUserId(),
        request.toUserId(),
        request.message(),
        request.status().name(),
        request.createdAt().toString(),
        request.updatedAt().toString());
  }
}
