package dev.switchboard.client.rest;

/** One entry of {@code GET /api/v1/blocks}: a user this user blocked. */
public record BlockedUser(long userId, String username, String nickname) {}
