package dev.switchboard.account.session;

import dev.switchboard.account.grpc.ConnectorClient;
import dev.switchboard.account.grpc.DependencyUnavailableException;
import dev.switchboard.account.grpc.UserStatusClient;
import dev.switchboard.account.user.PasswordHasher;
import dev.switchboard.account.user.User;
import dev.switchboard.account.user.UserRepository;
import dev.switchboard.common.auth.IssuedToken;
import dev.switchboard.common.auth.TokenClaims;
import dev.switchboard.common.auth.TokenService;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.internal.SessionRoute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Login (password check, connector choice, token) and logout (revocation, kick). */
public final class SessionService {
  private static final Logger log = LoggerFactory.getLogger(SessionService.class);

  private final UserRepository users;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final Duration tokenTtl;
  private final ConnectorPicker connectors;
  private final UserStatusClient userStatus;
  private final ConnectorClient connectorClient;
  private final Counter loginOk;
  private final Counter loginInvalid;
  private final Counter loginNoConnector;
  private final Counter logouts;
  private final Counter kickFailures;

  public SessionService(
      UserRepository users,
      PasswordHasher hasher,
      TokenService tokens,
      Duration tokenTtl,
      ConnectorPicker connectors,
      UserStatusClient userStatus,
      ConnectorClient connectorClient,
      MeterRegistry meters) {
    this.users = users;
    this.hasher = hasher;
    this.tokens = tokens;
    this.tokenTtl = tokenTtl;
    this.connectors = connectors;
    this.userStatus = userStatus;
    this.connectorClient = connectorClient;
    this.loginOk = logins(meters, "ok");
    this.loginInvalid = logins(meters, "invalid_credentials");
    this.loginNoConnector = logins(meters, "no_connector");
    this.logouts = Counter.builder("account.logouts").register(meters);
    this.kickFailures =
        Counter.builder("account.logout.kick.failures")
            .description("Logouts whose connector could not be told to close the session")
            .register(meters);
  }

  private static Counter logins(MeterRegistry meters, String outcome) {
    return Counter.builder("account.logins")
        .description("Login attempts by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  public LoginResult login(String username, String password, String deviceId) {
    Optional<User> user = users.findByUsername(username);
    boolean valid =
        user.isPresent()
            ? hasher.matches(password, user.get().passwordHash())
            : hasher.matchesNothing(password);
    if (!valid) {
      loginInvalid.increment();
      log.debug("login refused username={} deviceId={}", username, deviceId);
      return new LoginResult.InvalidCredentials();
    }
    long userId = user.get().id();
    Optional<ConnectorAddress> connector = connectors.pick();
    if (connector.isEmpty()) {
      loginNoConnector.increment();
      log.warn("login userId={} deviceId={}: no connector is registered", userId, deviceId);
      return new LoginResult.NoConnectorAvailable();
    }
    IssuedToken issued = tokens.issue(userId, deviceId, tokenTtl);
    loginOk.increment();
    log.info(
        "login userId={} deviceId={} tokenId={} connectorId={}",
        userId,
        deviceId,
        issued.claims().tokenId(),
        connector.get().id());
    return new LoginResult.LoggedIn(
        userId, issued.token(), issued.claims().expiresAt(), connector.get());
  }

  /**
   * Revokes the token, then kicks the token's device off its connector. The revocation must succeed
   * (it is what keeps the token from being used again); the kick is best effort: a connector that
   * cannot be reached has most likely lost its connections already.
   *
   * @throws DependencyUnavailableException when user-status cannot revoke the token
   */
  public void logout(TokenClaims session) {
    userStatus.revokeToken(session.tokenId(), session.expiresAt());
    logouts.increment();
    List<SessionRoute> routes;
    try {
      routes = userStatus.routes(List.of(session.userId()));
    } catch (DependencyUnavailableException e) {
      // The token is revoked already; the client must not see a failure it would retry into 401.
      kickFailures.increment();
      log.warn(
          "logout userId={} deviceId={}: routes unknown, nothing kicked: {}",
          session.userId(),
          session.deviceId(),
          e.getMessage());
      return;
    }
    int kicked = 0;
    for (SessionRoute route : routes) {
      if (route.getUserId() != session.userId()
          || !route.getDeviceId().equals(session.deviceId())) {
        continue;
      }
      try {
        kicked +=
            connectorClient
                .kick(
                    route.getConnectorId(),
                    session.userId(),
                    session.deviceId(),
                    KickReason.LOGGED_OUT)
                .orElse(0);
      } catch (DependencyUnavailableException e) {
        kickFailures.increment();
        log.warn(
            "logout userId={} deviceId={}: {}",
            session.userId(),
            session.deviceId(),
            e.getMessage());
      }
    }
    log.info(
        "logout userId={} deviceId={} tokenId={} kickedSessions={}",
        session.userId(),
        session.deviceId(),
        session.tokenId(),
        kicked);
  }
}
