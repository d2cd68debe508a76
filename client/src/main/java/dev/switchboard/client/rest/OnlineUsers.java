package dev.switchboard.client.rest;

import java.util.List;

/**
 * The answer of {@code GET /api/v1/presence/online}: how many users are online and (up to the
 * requested limit) who.
 */
public record OnlineUsers(long count, List<UserProfile> users) {

  public OnlineUsers {
    users = users == null ? List.of() : List.copyOf(users);
  }
}
