package dev.switchboard.account.presence;

import dev.switchboard.account.grpc.UserStatusClient;
import dev.switchboard.account.user.PublicProfile;
import dev.switchboard.account.user.User;
import dev.switchboard.account.user.UserRepository;
import dev.switchboard.proto.internal.ListOnlineResponse;
import dev.switchboard.proto.internal.SessionRoute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Online flags and the online list, from user-status's routes joined with profiles. */
public final class PresenceService {
  /**
   * user-status pages with SCAN, which may return short or empty pages before the end; this many
   * pages are read at most for one answer, so one request costs a bounded number of calls.
   */
  private static final int MAX_PAGES = 20;

  private final UserStatusClient userStatus;
  private final UserRepository users;

  public PresenceService(UserStatusClient userStatus, UserRepository users) {
    this.userStatus = userStatus;
    this.users = users;
  }

  /** One entry per distinct requested id, in the order asked. */
  public List<Presence> presence(Collection<Long> userIds) {
    Set<Long> distinct = new LinkedHashSet<>(userIds);
    Set<Long> online = new HashSet<>();
    for (SessionRoute route : userStatus.routes(distinct)) {
      online.add(route.getUserId());
    }
    return distinct.stream().map(id -> new Presence(id, online.contains(id))).toList();
  }

  /** Up to {@code limit} online users with their profiles (one IN query for the profiles). */
  public List<PublicProfile> online(int limit) {
    Set<Long> ids = new LinkedHashSet<>();
    String cursor = "";
    for (int page = 0; page < MAX_PAGES && ids.size() < limit; page++) {
      ListOnlineResponse response = userStatus.listOnline(limit - ids.size(), cursor);
      for (long id : response.getUserIdsList()) {
        if (ids.size() < limit) {
          ids.add(id);
        }
      }
      cursor = response.getNextCursor();
      if (cursor.isEmpty()) {
        break;
      }
    }
    Map<Long, User> byId =
        users.findAllByIds(ids).stream().collect(Collectors.toMap(User::id, Function.identity()));
    List<PublicProfile> profiles = new ArrayList<>(byId.size());
    for (long id : ids) {
      User user = byId.get(id);
      if (user != null) {
        profiles.add(user.profile());
      }
    }
    return profiles;
  }
}
