package dev.switchboard.client.rest;

/** A user's public profile ({@code GET /api/v1/users/...}). */
public record UserProfile(long userId, String username, String nickname) {}
