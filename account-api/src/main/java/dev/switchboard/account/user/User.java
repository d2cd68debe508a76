package dev.switchboard.account.user;

/** A row of {@code users}. The password hash never leaves the user and session packages. */
public record User(
    long id, String username, String passwordHash, String nickname, String avatarUrl) {

  public PublicProfile profile() {
    return new PublicProfile(id, username, nickname, avatarUrl);
  }
}
