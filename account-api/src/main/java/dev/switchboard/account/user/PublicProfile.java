package dev.switchboard.account.user;

/** What anyone may see of a user. */
public record PublicProfile(long userId, String username, String nickname) {}
