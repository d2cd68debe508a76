package dev.switchboard.common.auth;

import java.time.Instant;

/** What a verified token says: who, on which device, which token, until when. */
public record TokenClaims(long userId, String deviceId, String tokenId, Instant expiresAt) {}
