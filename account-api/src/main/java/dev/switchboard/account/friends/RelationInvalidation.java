package dev.switchboard.account.friends;

/**
 * Tells the services that cache relation answers (transfer's message policy) that the friendship or
 * block state between two users changed. Called after the commit and before the REST call answers,
 * so that the very next message is judged on the new state. Never throws.
 */
public interface RelationInvalidation {
  void relationChanged(long a, long b);
}
