package dev.switchboard.account;

import dev.switchboard.account.auth.TokenAuthenticator;
import dev.switchboard.account.grpc.ConnectorClient;
import dev.switchboard.account.grpc.UserStatusClient;
import dev.switchboard.account.presence.PresenceService;
import dev.switchboard.account.session.ConnectorPicker;
import dev.switchboard.account.session.SessionService;
import dev.switchboard.account.user.PasswordHasher;
import dev.switchboard.account.user.UserRepository;
import dev.switchboard.account.user.UserService;
import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.common.grpc.GrpcChannels;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.time.Clock;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The composition root: every domain object of account-api is built here from {@link
 * AccountApiConfig} (registered by {@link AccountApiServer}), in one readable place. The domain
 * classes themselves know nothing of Spring. Beans are closed by Spring in reverse order of
 * creation: channels and directories before ZooKeeper.
 */
@Configuration(proxyBeanMethods = false)
public class AccountApiWiring {
  /** How long startup waits for ZooKeeper before failing with a message naming its address. */
  private static final Duration ZK_CONNECT_TIMEOUT = Duration.ofSeconds(15);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean(destroyMethod = "close")
  CuratorFramework zooKeeper(AccountApiConfig config) {
    return ZooKeeperClients.connect(config.zkConnect(), ZK_CONNECT_TIMEOUT);
  }

  @Bean(destroyMethod = "close")
  Discovery discovery(CuratorFramework zooKeeper) {
    return new Discovery(zooKeeper);
  }

  // No destroy method: Discovery closes the directories it opened.
  @Bean(destroyMethod = "")
  ServiceDirectory connectorDirectory(Discovery discovery) {
    return discovery.directory(ServiceNames.CONNECTOR);
  }

  @Bean(destroyMethod = "")
  ServiceDirectory userStatusDirectory(Discovery discovery) {
    return discovery.directory(ServiceNames.USER_STATUS);
  }

  @Bean(destroyMethod = "close")
  GrpcChannels grpcChannels() {
    return new GrpcChannels();
  }

  @Bean
  TokenService tokenService(AccountApiConfig config, Clock clock) {
    return new TokenService(config.jwtSecret(), clock);
  }

  @Bean
  PasswordHasher passwordHasher() {
    return new PasswordHasher();
  }

  @Bean
  UserRepository userRepository(JdbcClient jdbc) {
    return new UserRepository(jdbc);
  }

  @Bean
  UserStatusClient userStatusClient(
      @Qualifier("userStatusDirectory") ServiceDirectory userStatus,
      GrpcChannels channels,
      AccountApiConfig config) {
    return new UserStatusClient(userStatus, channels, config.grpcDeadline());
  }

  @Bean
  ConnectorClient connectorClient(
      @Qualifier("connectorDirectory") ServiceDirectory connectors,
      GrpcChannels channels,
      AccountApiConfig config) {
    return new ConnectorClient(connectors, channels, config.grpcDeadline());
  }

  @Bean
  ConnectorPicker connectorPicker(@Qualifier("connectorDirectory") ServiceDirectory connectors) {
    return new ConnectorPicker(connectors);
  }

  @Bean
  UserService userService(UserRepository users, PasswordHasher hasher, MeterRegistry meters) {
    return new UserService(users, hasher, meters);
  }

  @Bean
  SessionService sessionService(
      UserRepository users,
      PasswordHasher hasher,
      TokenService tokens,
      AccountApiConfig config,
      ConnectorPicker connectors,
      UserStatusClient userStatus,
      ConnectorClient connectorClient,
      MeterRegistry meters) {
    return new SessionService(
        users, hasher, tokens, config.tokenTtl(), connectors, userStatus, connectorClient, meters);
  }

  @Bean
  PresenceService presenceService(UserStatusClient userStatus, UserRepository users) {
    return new PresenceService(userStatus, users);
  }

  @Bean
  TokenAuthenticator tokenAuthenticator(TokenService tokens, UserStatusClient userStatus) {
    return new TokenAuthenticator(tokens, userStatus);
  }

  @Bean
  OpenAPI openApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Switchboard account API")
                .version("v1")
                .description(
                    "Registration, login, logout, profiles and presence. Errors are RFC 7807"
                        + " problems (application/problem+json) with a stable `code`."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")));
  }
}
