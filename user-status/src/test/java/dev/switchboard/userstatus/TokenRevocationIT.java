package dev.switchboard.userstatus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.internal.CheckTokenRevokedRequest;
import dev.switchboard.proto.internal.RevokeTokenRequest;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(InfraExtension.class)
class TokenRevocationIT {

  private final EmbeddedRedis redis;
  private final TestIds ids = new TestIds();
  private final MutableClock clock = new MutableClock();
  private InProcessUserStatus userStatus;

  TokenRevocationIT(EmbeddedRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void startService() throws Exception {
    userStatus =
        InProcessUserStatus.start(redis.url(), clock, InProcessUserStatus.TTL, ids.keyPrefix());
  }

  @AfterEach
  void stopService() throws Exception {
    userStatus.close();
  }

  @Test
  void revokedToken_isReportedRevoked_untilItWouldHaveExpired() {
    String tokenId = UUID.randomUUID().toString();

    revoke(tokenId, clock.millis() + 3_600_000);

    assertThat(isRevoked(tokenId)).isTrue();
    assertThat(userStatus.redis().pttl(userStatus.keys().revokedToken(tokenId)))
        .isBetween(3_590_000L, 3_600_000L);
  }

  @Test
  void tokenNeverRevoked_isNotRevoked() {
    assertThat(isRevoked(UUID.randomUUID().toString())).isFalse();
  }

  @Test
  void revokingAnAlreadyExpiredToken_storesNothing() {
    String tokenId = UUID.randomUUID().toString();

    revoke(tokenId, clock.millis() - 1);

    assertThat(userStatus.redis().exists(userStatus.keys().revokedToken(tokenId))).isFalse();
    assertThat(isRevoked(tokenId)).isFalse();
  }

  private void revoke(String tokenId, long expiresAtMs) {
    userStatus
        .stub()
        .revokeToken(
            RevokeTokenRequest.newBuilder()
                .setTokenId(tokenId)
                .setExpiresAtMs(expiresAtMs)
                .build());
  }

  private boolean isRevoked(String tokenId) {
    return userStatus
        .stub()
        .checkTokenRevoked(CheckTokenRevokedRequest.newBuilder().setTokenId(tokenId).build())
        .getRevoked();
  }
}
