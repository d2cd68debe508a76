package dev.switchboard.account.user;

import dev.switchboard.account.limits.CallerRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/** Registration and profiles. Input is already validated by the web layer. */
public final class UserService {
  private static final Logger log = LoggerFactory.getLogger(UserService.class);

  private final UserRepository users;
  private final PasswordHasher hasher;
  private final CallerRateLimiter lookupLimiter;
  private final Counter registered;
  private final Counter taken;
  private final Counter lookupsLimited;

  public UserService(
      UserRepository users,
      PasswordHasher hasher,
      CallerRateLimiter lookupLimiter,
      MeterRegistry meters) {
    this.users = users;
    this.hasher = hasher;
    this.lookupLimiter = lookupLimiter;
    this.registered = registrations(meters, "ok");
    this.taken = registrations(meters, "username_taken");
    this.lookupsLimited =
        Counter.builder("account.user.lookups.rate_limited")
            .description("Username lookups refused because the caller exceeded the rate limit")
            .register(meters);
  }

  private static Counter registrations(MeterRegistry meters, String outcome) {
    return Counter.builder("account.registrations")
        .description("Registration attempts by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  /**
   * Creates an account. The nickname defaults to the username. The unique key on {@code username}
   * settles races: no select-then-insert.
   */
  public RegistrationResult register(String username, String password, String nickname) {
    String shownName = nickname == null || nickname.isBlank() ? username : nickname.strip();
    String hash = hasher.hash(password);
    try {
      User user = users.insert(username, hash, shownName);
      registered.increment();
      log.info("registered userId={} username={}", user.id(), user.username());
      return new RegistrationResult.Registered(user.profile());
    } catch (DuplicateKeyException e) {
      taken.increment();
      return new RegistrationResult.UsernameTaken(username);
    }
  }

  /** The caller's own profile. */
  public Optional<PublicProfile> me(long userId) {
    return users.findById(userId).map(User::profile);
  }

  /**
   * Changes the caller's nickname and/or avatar and answers the profile as it is now; empty when
   * the account no longer exists.
   */
  public Optional<PublicProfile> updateProfile(long userId, ProfileChange change) {
    String nickname = change.nickname() == null ? null : change.nickname().strip();
    String avatarUrl = change.avatarUrl() == null ? null : change.avatarUrl().strip();
    ProfileChange normalized = new ProfileChange(nickname, avatarUrl);
    if (!normalized.isEmpty() && !users.updateProfile(userId, normalized)) {
      return Optional.empty();
    }
    if (!normalized.isEmpty()) {
      log.info(
          "profile updated userId={} nickname={} avatar={}",
          userId,
          nickname != null,
          avatarUrl == null ? "kept" : avatarUrl.isEmpty() ? "removed" : "set");
    }
    return me(userId);
  }

  /** A user's profile as {@code callerId} may see it: empty if unknown or if it blocked them. */
  public Optional<PublicProfile> findVisible(long callerId, long userId) {
    return users.findVisibleById(callerId, userId).map(User::profile);
  }

  /**
   * Exact lookup by username, limited per caller: every lookup, hit or miss, takes a permit. A user
   * who blocked the caller answers {@link LookupResult.NotFound} like an unknown name.
   */
  public LookupResult lookupByUsername(long callerId, String username) {
    Optional<Duration> retryAfter = lookupLimiter.tryAcquire(callerId);
    if (retryAfter.isPresent()) {
      lookupsLimited.increment();
      log.debug("username lookup rate limited callerId={}", callerId);
      return new LookupResult.RateLimited(retryAfter.get());
    }
    return users
        .findVisibleByUsername(callerId, username)
        .<LookupResult>map(user -> new LookupResult.Found(user.profile()))
        .orElseGet(LookupResult.NotFound::new);
  }
}
