package dev.switchboard.account.friends;

/** One entry of the caller's block list. */
public record BlockedUser(long userId, String username, String nickname) {}
