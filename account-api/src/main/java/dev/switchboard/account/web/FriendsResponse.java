package dev.switchboard.account.web;

import java.util.List;

/** Answer of {@code GET /api/v1/friends}. */
public record FriendsResponse(List<FriendView> friends) {}
