package dev.switchboard.client.console;

import dev.switchboard.client.rest.UserProfile;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caches user name ↔ id so that each name costs one REST lookup per console session. Unknown names
 * are not cached (the user may register meanwhile). Thread-safe: used by the input loop and the
 * listener callbacks.
 */
final class UserDirectory {

  private final ChatBackend backend;
  private final Map<String, Long> idsByName = new ConcurrentHashMap<>();
  private final Map<Long, String> namesById = new ConcurrentHashMap<>();

  UserDirectory(ChatBackend backend) {
    this.backend = backend;
  }

  void remember(UserProfile profile) {
    idsByName.put(profile.username(), profile.userId());
    namesById.put(profile.userId(), profile.username());
  }

  void remember(long userId, String username) {
    idsByName.put(username, userId);
    namesById.put(userId, username);
  }

  /** The id of {@code username}, looked up once; empty if there is no such user. */
  Optional<Long> idOf(String username) {
    Long cached = idsByName.get(username);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<UserProfile> found = backend.findUser(username);
    found.ifPresent(this::remember);
    return found.map(UserProfile::userId);
  }

  /** The name of {@code userId} for display; "user#<id>" if it cannot be looked up. */
  String nameOf(long userId) {
    String cached = namesById.get(userId);
    if (cached != null) {
      return cached;
    }
    try {
      Optional<UserProfile> found = backend.userById(userId);
      found.ifPresent(this::remember);
      return found.map(UserProfile::username).orElse("user#" + userId);
    } catch (RuntimeException e) {
      return "user#" + userId;
    }
  }
}
