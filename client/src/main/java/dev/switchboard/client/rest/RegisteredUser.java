package dev.switchboard.client.rest;

/** The answer of {@code POST /api/v1/users}. */
public record RegisteredUser(long userId, String username, String nickname) {}
