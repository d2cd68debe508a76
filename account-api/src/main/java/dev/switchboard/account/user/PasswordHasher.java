package dev.switchboard.account.user;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Password hashing with Argon2id (OWASP's first choice): salted, memory-hard, and without bcrypt's
 * 72-byte input limit, so every password of up to 128 characters counts in full.
 *
 * <p>Unknown users are checked against a hash made at startup ({@link #matchesNothing}), so a login
 * for a name that does not exist costs the same time as one with a wrong password and the answer
 * time does not tell which usernames exist.
 */
public final class PasswordHasher {
  private final PasswordEncoder encoder;
  private final String dummyHash;

  public PasswordHasher() {
    // 16 MiB, 2 passes, 1 lane: Spring Security's current defaults, ~50 ms here.
    this(Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8());
  }

  PasswordHasher(PasswordEncoder encoder) {
    this.encoder = encoder;
    this.dummyHash = encoder.encode("dummy password for unknown users");
  }

  public String hash(String password) {
    return encoder.encode(password);
  }

  /** Constant-time comparison inside the encoder. */
  public boolean matches(String password, String hash) {
    return encoder.matches(password, hash);
  }

  /** Spends the time of one check and returns false. */
  public boolean matchesNothing(String password) {
    encoder.matches(password, dummyHash);
    return false;
  }
}
