package dev.switchboard.client.rest;

import java.time.Instant;

/**
 * One entry of {@code GET /api/v1/friends}: the friend's profile, whether it has a connected device
 * now, and since when the two are friends.
 */
public record Friend(
    long userId,
    String username,
    String nickname,
    String avatarUrl,
    boolean online,
    Instant since) {}
