package dev.switchboard.connector.route;

/**
 * Tells transfer that a session started or ended, so that it can tell the user's friends when the
 * user as a whole came online or went offline. Fire and forget: never throws, never blocks; a lost
 * report only costs a presence notice (friends read presence over REST as well).
 */
@FunctionalInterface
public interface PresencePublisher {

  /**
   * @param transition the user's first session started or its last one ended, as user-status
   *     counted; false when that is not known, and transfer decides
   */
  void publish(long userId, String deviceId, boolean online, boolean transition);
}
