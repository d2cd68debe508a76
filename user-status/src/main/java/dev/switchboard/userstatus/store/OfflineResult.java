package dev.switchboard.userstatus.store;

/**
 * Outcome of removing a session.
 *
 * @param removed false if the device had no route or a newer session owns it
 * @param liveSessions the user's live routes right after, counted atomically with the removal (0
 *     after a removal: the user went offline)
 */
public record OfflineResult(boolean removed, int liveSessions) {}
