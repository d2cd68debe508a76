package dev.switchboard.account.friends;

/**
 * The answer to "send a friend request".
 *
 * @param request the new or updated request; for {@link Kind#ACCEPTED} the other user's request to
 *     the caller, now accepted
 */
public record SentRequest(FriendRequest request, Kind kind) {

  public enum Kind {
    /** A new request. */
    CREATED,
    /** The caller's existing request to that user, with the new message, pending (again). */
    UPDATED,
    /** That user had asked the caller already: their request is accepted, they are friends. */
    ACCEPTED
  }
}
