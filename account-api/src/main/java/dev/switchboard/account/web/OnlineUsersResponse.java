package dev.switchboard.account.web;

import dev.switchboard.account.user.PublicProfile;
import java.util.List;

/** Answer of {@code GET /api/v1/presence/online}: {@code count} is the number of users listed. */
public record OnlineUsersResponse(int count, List<PublicProfile> users) {

  static OnlineUsersResponse of(List<PublicProfile> users) {
    return new OnlineUsersResponse(users.size(), users);
  }
}
