package dev.switchboard.account.web;

import dev.switchboard.account.friends.Friend;

/** One friend in {@code GET /api/v1/friends}; {@code since} is an ISO-8601 string. */
public record FriendView(
    long userId, String username, String nickname, String avatarUrl, boolean online, String since) {

  static FriendView of(Friend friend) {
    return new FriendView(
        friend.profile().userId(),
        friend.profile().username(),
        friend.profile().nickname(),
        friend.profile().avatarUrl(),
        friend.online(),
        friend.since().toString());
  }
}
