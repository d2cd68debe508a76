package dev.switchboard.connector.auth;

import dev.switchboard.proto.ErrorCode;

/** The answer to a LoginReq: who logged in, or why not. */
public sealed interface LoginOutcome {

  /** A verified, unrevoked token for this user and device. */
  record Accepted(long userId, String deviceId, String tokenId) implements LoginOutcome {}

  /** The connection gets {@code code} and is closed. */
  record Refused(ErrorCode code, String message) implements LoginOutcome {}
}
