package dev.switchboard.account.friends;

import java.util.function.Function;

/**
 * What a friend, request or block operation ends in: done with a value, or refused for an expected
 * reason (a value, not an exception). Refusals are decided before anything is written.
 */
public sealed interface RelationResult<T> {

  record Done<T>(T value) implements RelationResult<T> {}

  record Refused<T>(RelationError error, String detail) implements RelationResult<T> {}

  /** The same outcome with the value transformed; a refusal stays the same refusal. */
  default <U> RelationResult<U> map(Function<T, U> mapper) {
    if (this instanceof Done<T> done) {
      return new Done<>(mapper.apply(done.value()));
    }
    Refused<T> refused = (Refused<T>) this;
    return new Refused<>(refused.error(), refused.detail());
  }

  static <T> RelationResult<T> done(T value) {
    return new Done<>(value);
  }

  static <T> RelationResult<T> refused(RelationError error, String detail) {
    return new Refused<>(error, detail);
  }
}
