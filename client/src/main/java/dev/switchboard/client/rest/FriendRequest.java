package dev.switchboard.client.rest;

import java.time.Instant;

/**
 * A friend request ({@code /api/v1/friend-requests}). {@code status} is one of {@value #PENDING},
 * {@value #ACCEPTED}, {@value #REJECTED}, {@value #CANCELLED}; {@code message} may be null.
 */
public record FriendRequest(
    long id, long fromUserId, long toUserId, String message, String status, Instant createdAt) {

  public static final String PENDING = "PENDING";
  public static final String ACCEPTED = "ACCEPTED";
  public static final String REJECTED = "REJECTED";
  public static final String CANCELLED = "CANCELLED";

  public boolean isPending() {
    return PENDING.equals(status);
  }

  /** Which requests {@code GET /api/v1/friend-requests} lists: sent to me, or sent by me. */
  public enum Direction {
    IN("in"),
    OUT("out");

    private final String query;

    Direction(String query) {
      this.query = query;
    }

    /** The value of the {@code direction} query parameter. */
    public String query() {
      return query;
    }
  }
}
