package dev.switchboard.account;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything account-api needs to start, read once from the environment and validated there, so a
 * bad setting stops the service at startup with a message naming the variable.
 *
 * @param httpHost address the HTTP server binds ({@code IM_HTTP_HOST})
 * @param httpPort HTTP port, 0 picks a free one ({@code IM_HTTP_PORT})
 * @param mysqlUrl JDBC URL of the shared database ({@code IM_MYSQL_URL})
 * @param mysqlUser database user ({@code IM_MYSQL_USER})
 * @param mysqlPassword database password ({@code IM_MYSQL_PASSWORD})
 * @param zkConnect ZooKeeper connect string for discovery ({@code IM_ZK_CONNECT})
 * @param jwtSecret token signing secret shared with the connectors ({@code IM_JWT_SECRET})
 * @param profile {@code dev} or {@code prod} ({@code IM_PROFILE})
 * @param tokenTtl lifetime of issued tokens ({@code IM_TOKEN_TTL})
 * @param grpcDeadline deadline of every call to user-status, connectors, transfers and
 *     offline-store ({@code IM_GRPC_DEADLINE})
 * @param maxFriends most friends one user may have ({@code IM_MAX_FRIENDS})
 * @param maxPendingRequests most outgoing pending friend requests of one user ({@code
 *     IM_MAX_PENDING_REQUESTS})
 * @param userLookupsPerMinute username lookups one caller may make per minute ({@code
 *     IM_USER_LOOKUP_RATE_PER_MINUTE})
 */
public record AccountApiConfig(
    String httpHost,
    int httpPort,
    String mysqlUrl,
    String mysqlUser,
    String mysqlPassword,
    String zkConnect,
    byte[] jwtSecret,
    Profile profile,
    Duration tokenTtl,
    Duration grpcDeadline,
    int maxFriends,
    int maxPendingRequests,
    int userLookupsPerMinute) {

  private static final Logger log = LoggerFactory.getLogger(AccountApiConfig.class);

  /**
   * Defaults of the relation limits: a friend list of a thousand still fits one presence call and
   * one page; a hundred open requests is far beyond what a person sends by hand, and keeps a script
   * from spamming the whole user base.
   */
  static final int DEFAULT_MAX_FRIENDS = 1000;

  static final int DEFAULT_MAX_PENDING_REQUESTS = 100;

  /**
   * Exact username lookups tell whether an account exists; thirty a minute is plenty for a person
   * adding contacts and slow for a script walking a name list.
   */
  static final int DEFAULT_USER_LOOKUPS_PER_MINUTE = 30;

  /** The shortest secret HS256 is safe with: the hash's own output size. */
  static final int MIN_SECRET_BYTES = 32;

  /** Values copied from examples and tutorials; refused outside dev even when long enough. */
  private static final Set<String> PLACEHOLDER_WORDS =
      Set.of(
          "changeme",
          "changeit",
          "secret",
          "password",
          "default",
          "example",
          "test",
          "jwtsecret",
          "mysecret",
          "yoursecret",
          "secretkey",
          "yourbitsecret",
          "replaceme",
          "todo",
          "xxx");

  /** dev: conveniences for a laptop (generated secret); prod: nothing is made up. */
  public enum Profile {
    DEV,
    PROD
  }

  public AccountApiConfig {
    Objects.requireNonNull(httpHost, "httpHost");
    Objects.requireNonNull(mysqlUrl, "mysqlUrl");
    Objects.requireNonNull(mysqlUser, "mysqlUser");
    Objects.requireNonNull(mysqlPassword, "mysqlPassword");
    Objects.requireNonNull(zkConnect, "zkConnect");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(tokenTtl, "tokenTtl");
    Objects.requireNonNull(grpcDeadline, "grpcDeadline");
    if (httpPort < 0 || httpPort > 65_535) {
      throw new ConfigException("IM_HTTP_PORT must be 0..65535, not " + httpPort);
    }
    if (jwtSecret == null || jwtSecret.length < MIN_SECRET_BYTES) {
      throw new ConfigException("IM_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (tokenTtl.isNegative() || tokenTtl.isZero()) {
      throw new ConfigException("IM_TOKEN_TTL must be positive, not " + tokenTtl);
    }
    if (grpcDeadline.isNegative() || grpcDeadline.isZero()) {
      throw new ConfigException("IM_GRPC_DEADLINE must be positive, not " + grpcDeadline);
    }
    requirePositive("IM_MAX_FRIENDS", maxFriends);
    requirePositive("IM_MAX_PENDING_REQUESTS", maxPendingRequests);
    requirePositive("IM_USER_LOOKUP_RATE_PER_MINUTE", userLookupsPerMinute);
    jwtSecret = jwtSecret.clone();
  }

  public static AccountApiConfig fromEnv(Env env) {
    Profile profile = parseProfile(env.get("IM_PROFILE", "prod"));
    return new AccountApiConfig(
        env.get("IM_HTTP_HOST", "127.0.0.1"),
        env.getInt("IM_HTTP_PORT", 8080),
        env.get("IM_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/switchboard"),
        env.get("IM_MYSQL_USER", "root"),
        env.get("IM_MYSQL_PASSWORD", ""),
        env.get("IM_ZK_CONNECT", "127.0.0.1:2181"),
        jwtSecret(env, profile),
        profile,
        // A week: clients log in again rarely; logout revokes a token before it ends anyway.
        env.getDuration("IM_TOKEN_TTL", Duration.ofDays(7)),
        // Long enough for a loaded Redis behind user-status, short enough that a dead peer
        // answers the HTTP caller within a few seconds.
        env.getDuration("IM_GRPC_DEADLINE", Duration.ofSeconds(3)),
        env.getInt("IM_MAX_FRIENDS", DEFAULT_MAX_FRIENDS),
        env.getInt("IM_MAX_PENDING_REQUESTS", DEFAULT_MAX_PENDING_REQUESTS),
        env.getInt("IM_USER_LOOKUP_RATE_PER_MINUTE", DEFAULT_USER_LOOKUPS_PER_MINUTE));
  }

  private static void requirePositive(String variable, int value) {
    if (value <= 0) {
      throw new ConfigException(variable + " must be positive, not " + value);
    }
  }

  private static Profile parseProfile(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "dev" -> Profile.DEV;
      case "prod" -> Profile.PROD;
      default -> throw new ConfigException("IM_PROFILE must be dev or prod, not '" + value + "'");
    };
  }

  private static byte[] jwtSecret(Env env, Profile profile) {
    var configured = env.get("IM_JWT_SECRET");
    if (configured.isEmpty()) {
      if (profile == Profile.DEV) {
        log.warn(
            "IM_JWT_SECRET is not set: using a random secret (profile dev); tokens die with this"
                + " process and connectors must be given the same secret");
        return TokenService.randomSecret();
      }
      throw new ConfigException(
          "IM_JWT_SECRET is required (at least "
              + MIN_SECRET_BYTES
              + " bytes, e.g. base64:<32 random bytes>) unless IM_PROFILE=dev");
    }
    byte[] secret;
    try {
      secret = TokenService.decodeSecret(configured.get());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("IM_JWT_SECRET has a base64: prefix but is not valid base64");
    }
    if (secret.length < MIN_SECRET_BYTES) {
      throw new ConfigException(
          "IM_JWT_SECRET is "
              + secret.length
              + " bytes; at least "
              + MIN_SECRET_BYTES
              + " are required");
    }
    if (profile != Profile.DEV && isPlaceholder(secret)) {
      throw new ConfigException(
          "IM_JWT_SECRET is a well-known placeholder; set a random secret (e.g. base64:<32 random"
              + " bytes>)");
    }
    return secret;
  }

  /**
   * True for secrets anyone could guess: a few distinct bytes repeated ({@code base64:AAAA...},
   * {@code xxxx...}), or typed text made of one placeholder word, possibly repeated and mixed with
   * digits and punctuation to reach the minimum length ({@code changeme-changeme-changeme-1234}).
   * Binary secrets (decoded base64 with non-printable bytes) are random by construction and only
   * get the first check.
   */
  static boolean isPlaceholder(byte[] secret) {
    long distinctBytes = IntStream.range(0, secret.length).map(i -> secret[i]).distinct().count();
    if (distinctBytes < 4) {
      return true;
    }
    String text = new String(secret, StandardCharsets.UTF_8);
    if (!text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return false;
    }
    String letters = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    if (letters.isEmpty()) {
      return false;
    }
    for (String word : PLACEHOLDER_WORDS) {
      if (letters.replace(word, "").isEmpty()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public byte[] jwtSecret() {
    return jwtSecret.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AccountApiConfig that
        && httpHost.equals(that.httpHost)
        && httpPort == that.httpPort
        && mysqlUrl.equals(that.mysqlUrl)
        && mysqlUser.equals(that.mysqlUser)
        && mysqlPassword.equals(that.mysqlPassword)
        && zkConnect.equals(that.zkConnect)
        && Arrays.equals(jwtSecret, that.jwtSecret)
        && profile == that.profile
        && tokenTtl.equals(that.tokenTtl)
        && grpcDeadline.equals(that.grpcDeadline)
        && maxFriends == that.maxFriends
        && maxPendingRequests == that.maxPendingRequests
        && userLookupsPerMinute == that.userLookupsPerMinute;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        httpHost,
        httpPort,
        mysqlUrl,
        mysqlUser,
        zkConnect,
        profile,
        tokenTtl,
        grpcDeadline,
        maxFriends,
        maxPendingRequests,
        userLookupsPerMinute);
  }

  /** Secrets are never printed. */
  @Override
  public String toString() {
    return "AccountApiConfig[http="
        + httpHost
        + ":"
        + httpPort
        + ", mysqlUrl="
        + mysqlUrl
        + ", mysqlUser="
        + mysqlUser
        + ", zkConnect="
        + zkConnect
        + ", profile="
        + profile
        + ", tokenTtl="
        + tokenTtl
        + ", grpcDeadline="
        + grpcDeadline
        + ", maxFriends="
        + maxFriends
        + ", maxPendingRequests="
        + maxPendingRequests
        + ", userLookupsPerMinute="
        + userLookupsPerMinute
        + ", jwtSecret=<"
        + jwtSecret.length
        + " bytes>]";
  }
}
