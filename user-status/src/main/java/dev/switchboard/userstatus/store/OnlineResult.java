package dev.switchboard.userstatus.store;

import java.util.Optional;

/**
 * Outcome of registering a session.
 *
 * @param previous what the device had before, even if that route had already expired: its connector
 *     may still hold the connection and should close it
 * @param replaced true if {@code previous} is a different session (false for a repeated Online of
 *     the same session, e.g. a retry)
 * @param liveSessions the user's live routes right after, this one included (1: the user came
 *     online), counted atomically with the registration
 */
public record OnlineResult(
    Route current, Optional<Route> previous, boolean replaced, int liveSessions) {}
