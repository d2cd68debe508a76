package dev.switchboard.account.user;

/** What a registration ends in; the taken username is an expected outcome, not an error. */
public sealed interface RegistrationResult {

  record Registered(PublicProfile profile) implements RegistrationResult {}

  record UsernameTaken(String username) implements RegistrationResult {}
}
