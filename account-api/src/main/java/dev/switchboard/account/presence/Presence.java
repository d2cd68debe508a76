package dev.switchboard.account.presence;

/** Whether a user has at least one live session on some connector. */
public record Presence(long userId, boolean online) {}
