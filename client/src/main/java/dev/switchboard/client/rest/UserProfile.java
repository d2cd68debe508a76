package dev.switchboard.client.rest;

/**
 * A user's public profile ({@code GET /api/v1/users/...}, {@code GET /api/v1/users/me}). {@code
 * nickname} and {@code avatarUrl} are null when the user has set none.
 */
public record UserProfile(long userId, String username, String nickname, String avatarUrl) {

  /** A profile without an avatar (as older servers answer). */
  public UserProfile(long userId, String username, String nickname) {
    this(userId, username, nickname, null);
  }
}
