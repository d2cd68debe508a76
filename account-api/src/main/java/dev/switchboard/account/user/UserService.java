package dev.switchboard.account.user;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/** Registration and public profiles. Input is already validated by the web layer. */
public final class UserService {
  private static final Logger log = LoggerFactory.getLogger(UserService.class);

  private final UserRepository users;
  private final PasswordHasher hasher;
  private final Counter registered;
  private final Counter taken;

  public UserService(UserRepository users, PasswordHasher hasher, MeterRegistry meters) {
    this.users = users;
    this.hasher = hasher;
    this.registered = registrations(meters, "ok");
    this.taken = registrations(meters, "username_taken");
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

  public Optional<PublicProfile> findById(long userId) {
    return users.findById(userId).map(User::profile);
  }

  public Optional<PublicProfile> findByUsername(String username) {
    return users.findByUsername(username).map(User::profile);
  }
}
