package dev.switchboard.account.web;

import dev.switchboard.account.presence.Presence;
import java.util.List;

/** Answer of {@code GET /api/v1/presence}. */
public record PresenceResponse(List<Presence> presence) {}
