package dev.switchboard.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountApiConfigTest {
  private static final String GOOD_SECRET = "base64:" + base64(32, 7);

  private static String base64(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static Env env(String... keyValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return Env.of(map);
  }

  @Test
  void defaults_areProdWithLocalAddressesAndAWeekLongTokens() {
    AccountApiConfig config = AccountApiConfig.fromEnv(env("IM_JWT_SECRET", GOOD_SECRET));

    assertThat(config.profile()).isEqualTo(AccountApiConfig.Profile.PROD);
    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.tokenTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(config.jwtSecret()).hasSize(32);
    assertThat(config.maxFriends()).isEqualTo(1000);
    assertThat(config.maxPendingRequests()).isEqualTo(100);
    assertThat(config.userLookupsPerMinute()).isEqualTo(30);
  }

  @Test
  void prodWithoutSecret_refusesToStartNamingTheVariable() {
    assertThatThrownBy(() -> AccountApiConfig.fromEnv(env()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_JWT_SECRET is required");
  }

  @Test
  void prodWithShortSecret_refusesToStart() {
    assertThatThrownBy(() -> AccountApiConfig.fromEnv(env("IM_JWT_SECRET", "only-twenty-bytes-xx")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_JWT_SECRET is 20 bytes");
  }

  @Test
  void prodWithPlaceholderSecret_refusesToStart() {
    for (String placeholder :
        new String[] {
          "changemechangemechangemechangeme",
          "secret-secret-secret-secret-secret",
          "CHANGEME_CHANGEME_CHANGEME_123456",
          "your-256-bit-secret-your-256-bit-secret",
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "base64:" + Base64.getEncoder().encodeToString(new byte[32])
        }) {
      assertThatThrownBy(() -> AccountApiConfig.fromEnv(env("IM_JWT_SECRET", placeholder)))
          .as(placeholder)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("placeholder");
    }
  }

  @Test
  void typedRandomSecret_isAccepted() {
    String typed = "k7Qp2xLm9VtR4sWz8YbN3cFh6JdG1aEu";
    AccountApiConfig config = AccountApiConfig.fromEnv(env("IM_JWT_SECRET", typed));

    assertThat(config.jwtSecret()).isEqualTo(typed.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void devWithoutSecret_generatesARandomOne() {
    AccountApiConfig first = AccountApiConfig.fromEnv(env("IM_PROFILE", "dev"));
    AccountApiConfig second = AccountApiConfig.fromEnv(env("IM_PROFILE", "dev"));

    assertThat(first.profile()).isEqualTo(AccountApiConfig.Profile.DEV);
    assertThat(first.jwtSecret()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(first.jwtSecret()).isNotEqualTo(second.jwtSecret());
  }

  @Test
  void devWithShortSecret_stillRefusesToStart() {
    assertThatThrownBy(
            () -> AccountApiConfig.fromEnv(env("IM_PROFILE", "dev", "IM_JWT_SECRET", "short")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_JWT_SECRET");
  }

  @Test
  void unknownProfile_isRefused() {
    assertThatThrownBy(() -> AccountApiConfig.fromEnv(env("IM_PROFILE", "staging")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_PROFILE");
  }

  @Test
  void settings_areReadFromTheEnvironment() {
    AccountApiConfig config =
        AccountApiConfig.fromEnv(
            env(
                "IM_JWT_SECRET", GOOD_SECRET,
                "IM_HTTP_HOST", "0.0.0.0",
                "IM_HTTP_PORT", "0",
                "IM_MYSQL_URL", "jdbc:mysql://db:3306/im",
                "IM_MYSQL_USER", "im",
                "IM_MYSQL_PASSWORD", "pw",
                "IM_ZK_CONNECT", "zk:2181",
                "IM_TOKEN_TTL", "2h",
                "IM_GRPC_DEADLINE", "500ms",
                "IM_MAX_FRIENDS", "50",
                "IM_MAX_PENDING_REQUESTS", "5",
                "IM_USER_LOOKUP_RATE_PER_MINUTE", "10"));

    assertThat(config.httpHost()).isEqualTo("0.0.0.0");
    assertThat(config.httpPort()).isZero();
    assertThat(config.mysqlUrl()).isEqualTo("jdbc:mysql://db:3306/im");
    assertThat(config.mysqlUser()).isEqualTo("im");
    assertThat(config.mysqlPassword()).isEqualTo("pw");
    assertThat(config.zkConnect()).isEqualTo("zk:2181");
    assertThat(config.tokenTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(config.grpcDeadline()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.maxFriends()).isEqualTo(50);
    assertThat(config.maxPendingRequests()).isEqualTo(5);
    assertThat(config.userLookupsPerMinute()).isEqualTo(10);
  }

  @Test
  void nonPositiveLimits_areRefusedNamingTheVariable() {
    for (String variable :
        new String[] {
          "IM_MAX_FRIENDS", "IM_MAX_PENDING_REQUESTS", "IM_USER_LOOKUP_RATE_PER_MINUTE"
        }) {
      assertThatThrownBy(
              () -> AccountApiConfig.fromEnv(env("IM_JWT_SECRET", GOOD_SECRET, variable, "0")))
          .as(variable)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(variable);
      assertThatThrownBy(
              () -> AccountApiConfig.fromEnv(env("IM_JWT_SECRET", GOOD_SECRET, variable, "many")))
          .as(variable)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(variable);
    }
  }

  @Test
  void badPortOrTtl_isRefusedNamingTheVariable() {
    assertThatThrownBy(
            () -> AccountApiConfig.fromEnv(env("IM_JWT_SECRET", GOOD_SECRET, "IM_HTTP_PORT", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_HTTP_PORT");
    assertThatThrownBy(
            () ->
                AccountApiConfig.fromEnv(
                    env("IM_JWT_SECRET", GOOD_SECRET, "IM_HTTP_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_HTTP_PORT");
    assertThatThrownBy(
            () -> AccountApiConfig.fromEnv(env("IM_JWT_SECRET", GOOD_SECRET, "IM_TOKEN_TTL", "0s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("IM_TOKEN_TTL");
  }

  @Test
  void toString_neverShowsSecrets() {
    AccountApiConfig config =
        AccountApiConfig.fromEnv(
            env(
                "IM_JWT_SECRET",
                "k7Qp2xLm9VtR4sWz8YbN3cFh6JdG1aEu",
                "IM_MYSQL_PASSWORD",
                "hunter2"));

    assertThat(config.toString()).doesNotContain("k7Qp2xLm").doesNotContain("hunter2");
  }
}
