package dev.switchboard.account.user;

/** What anyone may see of a user. {@code avatarUrl} is null when the user has set none. */
public record PublicProfile(long userId, String username, String nickname, String avatarUrl) {}
