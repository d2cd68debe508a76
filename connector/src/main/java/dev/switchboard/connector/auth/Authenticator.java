package dev.switchboard.connector.auth;

import dev.switchboard.common.auth.InvalidTokenException;
import dev.switchboard.common.auth.TokenClaims;
import dev.switchboard.common.auth.TokenService;
import dev.switchboard.connector.auth.LoginOutcome.Accepted;
import dev.switchboard.connector.auth.LoginOutcome.Refused;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.LoginReq;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a LoginReq: the token's signature and expiry locally (HS256, no network), the device it
 * was issued for, then revocation in user-status. Never throws and never completes exceptionally:
 * every failure is a {@link Refused} with the code the client gets.
 */
public final class Authenticator {
  public static final int MAX_DEVICE_ID_LENGTH = 64;
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

  private final TokenService tokens;
  private final RevocationList revocations;

  public Authenticator(TokenService tokens, RevocationList revocations) {
    this.tokens = tokens;
    this.revocations = revocations;
  }

  public CompletableFuture<LoginOutcome> authenticate(LoginReq request) {
    TokenClaims claims;
    try {
      claims = tokens.verify(request.getToken());
    } catch (InvalidTokenException e) {
      return CompletableFuture.completedFuture(refusal(e));
    }
    // An empty device id in the request means "the device the token was issued for".
    String deviceId = request.getDeviceId().isEmpty() ? claims.deviceId() : request.getDeviceId();
    if (deviceId.isEmpty() || deviceId.length() > MAX_DEVICE_ID_LENGTH) {
      return CompletableFuture.completedFuture(
          new Refused(ErrorCode.INVALID_MESSAGE, "device_id must be 1 to 64 characters"));
    }
    if (!deviceId.equals(claims.deviceId())) {
      return CompletableFuture.completedFuture(
          new Refused(ErrorCode.INVALID_TOKEN, "the token was issued for another device"));
    }
    CompletableFuture<Boolean> revoked;
    try {
      revoked = revocations.isRevoked(claims.tokenId());
    } catch (RuntimeException e) {
      revoked = CompletableFuture.failedFuture(e);
    }
    return revoked.handle(
        (isRevoked, failure) -> {
          if (failure != null || isRevoked == null) {
            log.warn(
                "cannot check revocation of token={} user={}: {}",
                claims.tokenId(),
                claims.userId(),
                failure == null ? "no answer" : failure.toString());
            return new Refused(
                ErrorCode.UNAVAILABLE, "cannot check the token right now; try again shortly");
          }
          if (isRevoked) {
            return new Refused(ErrorCode.INVALID_TOKEN, "the token was revoked");
          }
          return new Accepted(claims.userId(), deviceId, claims.tokenId());
        });
  }

  private static Refused refusal(InvalidTokenException e) {
    return switch (e.reason()) {
      case EXPIRED ->
          new Refused(ErrorCode.TOKEN_EXPIRED, "the token has expired; log in again over REST");
      case MALFORMED, BAD_SIGNATURE, UNSUPPORTED_ALGORITHM, MISSING_CLAIMS ->
          new Refused(ErrorCode.INVALID_TOKEN, "the token is not valid");
    };
  }
}
