package dev.switchboard.account.auth;

import dev.switchboard.account.grpc.UserStatusClient;
import dev.switchboard.common.auth.InvalidTokenException;
import dev.switchboard.common.auth.TokenClaims;
import dev.switchboard.common.auth.TokenService;
import java.util.Locale;

/**
 * Turns an {@code Authorization} header into the caller's session: signature and expiry are checked
 * locally, revocation (logout) in user-status. When user-status cannot answer, the request fails
 * with 503 rather than trusting a token that may have been revoked.
 */
public final class TokenAuthenticator {
  private static final String BEARER = "bearer ";

  private final TokenService tokens;
  private final UserStatusClient userStatus;

  public TokenAuthenticator(TokenService tokens, UserStatusClient userStatus) {
    this.tokens = tokens;
    this.userStatus = userStatus;
  }

  /**
   * @throws UnauthorizedException missing, malformed, badly signed, expired or revoked token
   * @throws dev.switchboard.account.grpc.DependencyUnavailableException user-status did not answer
   */
  public TokenClaims authenticate(String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      throw new UnauthorizedException("a bearer token is required");
    }
    String token = authorizationHeader.substring(BEARER.length()).trim();
    TokenClaims claims;
    try {
      claims = tokens.verify(token);
    } catch (InvalidTokenException e) {
      throw new UnauthorizedException(
          switch (e.reason()) {
            case EXPIRED -> "the token has expired";
            default -> "the token is not valid";
          });
    }
    if (userStatus.isTokenRevoked(claims.tokenId())) {
      throw new UnauthorizedException("the token has been revoked");
    }
    return claims;
  }
}
