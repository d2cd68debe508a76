package dev.switchboard.account.web;

import dev.switchboard.account.friends.BlockedUser;
import java.util.List;

/** Answer of {@code GET /api/v1/blocks}. */
public record BlocksResponse(List<BlockedUser> blocked) {}
