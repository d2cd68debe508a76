package dev.switchboard.account;

import dev.switchboard.account.auth.TokenAuthenticator;
import dev.switchboard.account.db.JdbcTransactions;
import dev.switchboard.account.db.Transactions;
import dev.switchboard.account.friends.BlockRepository;
import dev.switchboard.account.friends.BlockService;
import dev.switchboard.account.friends.FriendLimits;
import dev.switchboard.account.friends.FriendRequestRepository;
import dev.switchboard.account.friends.FriendRequestService;
import dev.switchboard.account.friends.FriendshipRepository;
import dev.switchboard.account.friends.FriendshipService;
import dev.switchboard.account.grpc.ConnectorClient;
import dev.switchboard.account.grpc.OfflineStoreClient;
import dev.switchboard.account.grpc.TransferClient;
import dev.switchboard.account.grpc.UserStatusClient;
import dev.switchboard.account.history.HistoryService;
import dev.switchboard.account.limits.CallerRateLimiter;
import dev.switchboard.account.notice.NoticeSender;
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
import org.springframework.transaction.PlatformTransactionManager;

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

  @Bean(destroyMethod = "")
  ServiceDirectory transferDirectory(Discovery discovery) {
    return discovery.directory(ServiceNames.TRANSFER);
  }

  @Bean(destroyMethod = "")
  ServiceDirectory offlineStoreDirectory(Discovery discovery) {
    return discovery.directory(ServiceNames.OFFLINE_STORE);
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
  Transactions transactions(PlatformTransactionManager transactionManager) {
    return new JdbcTransactions(transactionManager);
  }

  @Bean
  FriendRequestRepository friendRequestRepository(JdbcClient jdbc) {
    return new FriendRequestRepository(jdbc);
  }

  @Bean
  FriendshipRepository friendshipRepository(JdbcClient jdbc) {
    return new FriendshipRepository(jdbc);
  }

  @Bean
  BlockRepository blockRepository(JdbcClient jdbc) {
    return new BlockRepository(jdbc);
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
  TransferClient transferClient(
      @Qualifier("transferDirectory") ServiceDirectory transfers,
      GrpcChannels channels,
      AccountApiConfig config,
      MeterRegistry meters) {
    return new TransferClient(transfers, channels, config.grpcDeadline(), meters);
  }

  @Bean
  OfflineStoreClient offlineStoreClient(
      @Qualifier("offlineStoreDirectory") ServiceDirectory offlineStores,
      GrpcChannels channels,
      AccountApiConfig config,
      MeterRegistry meters) {
    return new OfflineStoreClient(offlineStores, channels, config.grpcDeadline(), meters);
  }

  // Destroyed before the gRPC channels it uses (created after them): queued notices still go out.
  @Bean(destroyMethod = "close")
  NoticeSender noticeSender(
      UserStatusClient userStatus, ConnectorClient connectors, Clock clock, MeterRegistry meters) {
    return new NoticeSender(userStatus, connectors, clock, meters);
  }

  @Bean
  ConnectorPicker connectorPicker(@Qualifier("connectorDirectory") ServiceDirectory connectors) {
    return new ConnectorPicker(connectors);
  }

  @Bean
  UserService userService(
      UserRepository users, PasswordHasher hasher, AccountApiConfig config, MeterRegistry meters) {
    return new UserService(
        users, hasher, new CallerRateLimiter(config.userLookupsPerMinute()), meters);
  }

  @Bean
  FriendRequestService friendRequestService(
      Transactions transactions,
      UserRepository users,
      FriendRequestRepository requests,
      FriendshipRepository friendships,
      BlockRepository blocks,
      AccountApiConfig config,
      TransferClient transfers,
      NoticeSender notices,
      Clock clock,
      MeterRegistry meters) {
    return new FriendRequestService(
        transactions,
        users,
        requests,
        friendships,
        blocks,
        new FriendLimits(config.maxFriends(), config.maxPendingRequests()),
        transfers,
        notices,
        clock,
        meters);
  }

  @Bean
  FriendshipService friendshipService(
      Transactions transactions,
      FriendshipRepository friendships,
      UserStatusClient userStatus,
      TransferClient transfers,
      MeterRegistry meters) {
    return new FriendshipService(transactions, friendships, userStatus, transfers, meters);
  }

  @Bean
  BlockService blockService(
      Transactions transactions,
      UserRepository users,
      BlockRepository blocks,
      FriendshipRepository friendships,
      FriendRequestRepository requests,
      TransferClient transfers,
      Clock clock,
      MeterRegistry meters) {
    return new BlockService(
        transactions, users, blocks, friendships, requests, transfers, clock, meters);
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
  HistoryService historyService(OfflineStoreClient offlineStore, MeterRegistry meters) {
    return new HistoryService(offlineStore, meters);
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
                    "Registration, login, logout, profiles, friends, blocks, presence and message"
                        + " history. Errors are RFC 7807 problems (application/problem+json) with a"
                        + " stable `code`."))
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
