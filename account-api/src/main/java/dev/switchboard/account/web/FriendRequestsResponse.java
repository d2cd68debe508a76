package dev.switchboard.account.web;

import java.util.List;

/** Answer of {@code GET /api/v1/friend-requests}: pending requests, last changed first. */
public record FriendRequestsResponse(List<FriendRequestView> requests) {}
