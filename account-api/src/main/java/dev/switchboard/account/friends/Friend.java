package dev.switchboard.account.friends;

import dev.switchboard.account.user.PublicProfile;
import java.time.Instant;

/**
 * One entry of a friend list: the friend's profile, whether they are online, and since when they
 * are friends.
 */
public record Friend(PublicProfile profile, boolean online, Instant since) {}
