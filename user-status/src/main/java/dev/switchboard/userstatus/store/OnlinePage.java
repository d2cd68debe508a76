package dev.switchboard.userstatus.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of online users.
 *
 * @param next where the next page starts; empty on the last page
 */
public record OnlinePage(List<Long> userIds, Optional<OnlineCursor> next) {

  public OnlinePage {
    userIds = List.copyOf(userIds);
  }
}
