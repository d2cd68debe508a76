package dev.switchboard.account.friends;

/**
 * Tells connected devices about friend requests, after the commit. Best effort and never throws: a
 * device that misses a notice reads the current state over REST.
 */
public interface FriendNotifier {
  /** To the recipient's devices: a request was made or updated. */
  void requestSent(FriendRequest request);

  /** To the sender's devices: the recipient accepted the request. */
  void requestAccepted(FriendRequest request);
}
