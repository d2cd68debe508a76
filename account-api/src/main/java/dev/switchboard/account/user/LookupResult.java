package dev.switchboard.account.user;

import java.time.Duration;

/**
 * What a username lookup ends in. A user who blocked the caller is {@link NotFound}, exactly like a
 * name nobody has: the caller must not learn that the account exists.
 */
public sealed interface LookupResult {

  record Found(PublicProfile profile) implements LookupResult {}

  record NotFound() implements LookupResult {}

  /** The caller looked up too many names; they may try again after {@code retryAfter}. */
  record RateLimited(Duration retryAfter) implements LookupResult {}
}
