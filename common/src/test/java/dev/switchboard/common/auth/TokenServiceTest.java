package dev.switchboard.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.auth.InvalidTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final byte[] secret = TokenService.randomSecret();
  private final TokenService tokens = new TokenService(secret, clock);

  @Test
  void issuedToken_verifiesToItsClaims() throws Exception {
    IssuedToken issued = tokens.issue(42, "phone", Duration.ofHours(1));

    TokenClaims claims = tokens.verify(issued.token());

    assertThat(claims.userId()).isEqualTo(42);
    assertThat(claims.deviceId()).isEqualTo("phone");
    assertThat(claims.tokenId()).isEqualTo(issued.claims().tokenId()).isNotBlank();
    assertThat(claims.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void eachToken_hasItsOwnId() {
    assertThat(tokens.issue(1, "d", Duration.ofMinutes(1)).claims().tokenId())
        .isNotEqualTo(tokens.issue(1, "d", Duration.ofMinutes(1)).claims().tokenId());
  }

  @Test
  void expiredToken_isRefusedAsExpired() {
    String token = tokens.issue(42, "phone", Duration.ofMinutes(5)).token();
    TokenService later =
        new TokenService(secret, Clock.fixed(NOW.plus(Duration.ofMinutes(6)), ZoneOffset.UTC));

    assertThatThrownBy(() -> later.verify(token))
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
  }

  @Test
  void tokenSignedWithAnotherKey_isRefusedAsBadSignature() {
    String forged =
        new TokenService(TokenService.randomSecret(), clock)
            .issue(42, "phone", Duration.ofHours(1))
            .token();

    assertThatThrownBy(() -> tokens.verify(forged))
        .isInstanceOfSatisfying(
            InvalidTokenException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @Test
  void tamperedPayload_isRefusedAsBadSignature() {
    String[] parts = tokens.issue(42, "phone", Duration.ofHours(1)).token().split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"42\"", "\"43\"");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    assertThatThrownBy(() -> tokens.verify(tampered))
        .isInstanceOfSatisfying(
            InvalidTokenException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @Test
  void unsignedAlgNoneToken_isRefused() {
    String claims = tokens.issue(42, "phone", Duration.ofHours(1)).token().split("\\.")[1];
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> tokens.verify(header + "." + claims + "."))
        .isInstanceOfSatisfying(
            InvalidTokenException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM));
  }

  @Test
  void garbage_isRefusedAsMalformed() {
    for (String garbage : new String[] {"", "abc", "a.b.c", "....", "\u0000"}) {
      assertThatThrownBy(() -> tokens.verify(garbage))
          .as(garbage)
          .isInstanceOfSatisfying(
              InvalidTokenException.class,
              e -> assertThat(e.reason()).isIn(Reason.MALFORMED, Reason.UNSUPPORTED_ALGORITHM));
    }
  }

  @Test
  void shortSecret_isRejectedAtConstruction() {
    assertThatThrownBy(() -> new TokenService("changeme".getBytes(StandardCharsets.UTF_8), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void secrets_roundTripThroughTheirTextForm() {
    assertThat(TokenService.decodeSecret(TokenService.encodeSecret(secret))).isEqualTo(secret);
    assertThat(TokenService.decodeSecret("plain text secret"))
        .isEqualTo("plain text secret".getBytes(StandardCharsets.UTF_8));
  }
}
