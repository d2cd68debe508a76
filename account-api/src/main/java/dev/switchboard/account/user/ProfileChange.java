package dev.switchboard.account.user;

/**
 * A partial profile update ({@code PATCH /users/me}), already validated by the web layer.
 *
 * @param nickname the new nickname, null to keep the current one
 * @param avatarUrl the new avatar URL, null to keep the current one, empty to remove it
 */
public record ProfileChange(String nickname, String avatarUrl) {

  public boolean isEmpty() {
    return nickname == null && avatarUrl == null;
  }
}
