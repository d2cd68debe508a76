package dev.switchboard.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.common.auth.InvalidTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * Signs and verifies the login tokens (JWT, HS256). account-api issues them; connectors verify them
 * locally with the same secret, so a login on the long connection costs no network round trip for
 * the signature. Only HS256 is accepted: {@code alg: none} and any other algorithm are refused
 * before the signature is even looked at.
 */
public final class TokenService {
  public static final String ISSUER = "switchboard";
  static final String DEVICE_CLAIM = "dev";
  private static final int MIN_SECRET_BYTES = 32;
  private static final String BASE64_PREFIX = "base64:";

  private final byte[] secret;
  private final Clock clock;
  private final MACSigner signer;
  private final MACVerifier verifier;

  public TokenService(byte[] secret, Clock clock) {
    if (secret == null || secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the token signing secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    this.secret = secret.clone();
    this.clock = clock;
    try {
      this.signer = new MACSigner(this.secret);
      this.verifier = new MACVerifier(this.secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable token signing secret", e);
    }
  }

  /** {@code base64:...} is decoded; anything else is taken as UTF-8 text. */
  public static byte[] decodeSecret(String configured) {
    if (configured == null) {
      return new byte[0];
    }
    if (configured.startsWith(BASE64_PREFIX)) {
      return Base64.getDecoder().decode(configured.substring(BASE64_PREFIX.length()));
    }
    return configured.getBytes(StandardCharsets.UTF_8);
  }

  /** A fresh random secret for development, where no configured secret should be needed. */
  public static byte[] randomSecret() {
    byte[] bytes = new byte[MIN_SECRET_BYTES];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** The secret in the form {@link #decodeSecret} reads, to hand to another service. */
  public static String encodeSecret(byte[] secret) {
    return BASE64_PREFIX + Base64.getEncoder().encodeToString(secret);
  }

  public IssuedToken issue(long userId, String deviceId, Duration ttl) {
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    String tokenId = UUID.randomUUID().toString();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(Long.toString(userId))
            .jwtID(tokenId)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expiresAt))
            .claim(DEVICE_CLAIM, deviceId)
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
    return new IssuedToken(
        jwt.serialize(),
        new TokenClaims(
            userId, deviceId, tokenId, Instant.ofEpochSecond(expiresAt.getEpochSecond())));
  }

  public TokenClaims verify(String token) throws InvalidTokenException {
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException(Reason.MALFORMED, "no token");
    }
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new InvalidTokenException(Reason.MALFORMED, "token is not a JWT");
    }
    if (!(parsed instanceof SignedJWT jwt)
        || !JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new InvalidTokenException(
          Reason.UNSUPPORTED_ALGORITHM, "token algorithm " + parsed.getHeader().getAlgorithm());
    }
    try {
      if (!jwt.verify(verifier)) {
        throw new InvalidTokenException(Reason.BAD_SIGNATURE, "token signature does not match");
      }
    } catch (JOSEException e) {
      throw new InvalidTokenException(Reason.BAD_SIGNATURE, "token signature cannot be checked");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException(Reason.MALFORMED, "token claims are not JSON");
    }
    return toClaims(claims);
  }

  private TokenClaims toClaims(JWTClaimsSet claims) throws InvalidTokenException {
    Date expiry = claims.getExpirationTime();
    String subject = claims.getSubject();
    String tokenId = claims.getJWTID();
    Object device = claims.getClaim(DEVICE_CLAIM);
    if (expiry == null
        || subject == null
        || tokenId == null
        || !(device instanceof String deviceId)
        || !ISSUER.equals(claims.getIssuer())) {
      throw new InvalidTokenException(Reason.MISSING_CLAIMS, "token lacks required claims");
    }
    long userId;
    try {
      userId = Long.parseLong(subject);
    } catch (NumberFormatException e) {
      throw new InvalidTokenException(Reason.MISSING_CLAIMS, "token subject is not a user id");
    }
    Instant expiresAt = expiry.toInstant();
    if (!clock.instant().isBefore(expiresAt)) {
      throw new InvalidTokenException(Reason.EXPIRED, "token expired at " + expiresAt);
    }
    return new TokenClaims(userId, deviceId, tokenId, expiresAt);
  }
}
