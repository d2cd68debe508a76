package dev.switchboard.launcher.system;

import static org.awaitility.Awaitility.await;

import dev.switchboard.client.ClientConfig;
import dev.switchboard.client.ClientListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.ConnectorAddress;
import dev.switchboard.client.rest.FriendRequest;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.client.rest.RegisteredUser;
import dev.switchboard.connector.ConnectorServer;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A registered user with one connected SDK client that records everything it is told. */
final class ChatUser implements AutoCloseable {
  final RegisteredUser account;
  final String password;
  final AccountApi api;
  final String token;
  final SwitchboardClient client;
  final List<ChatMsg> messages = new CopyOnWriteArrayList<>();
  final List<AckMsg> receipts = new CopyOnWriteArrayList<>();
  final List<Error> errors = new CopyOnWriteArrayList<>();
  final List<Kick> kicks = new CopyOnWriteArrayList<>();
  final List<Notice> notices = new CopyOnWriteArrayList<>();

  private ChatUser(
      RegisteredUser account,
      String password,
      AccountApi api,
      String token,
      SwitchboardClient client) {
    this.account = account;
    this.password = password;
    this.api = api;
    this.token = token;
    this.client = client;
  }

  /** Registers a fresh user and connects it to {@code connector}. */
  static ChatUser connect(String apiUrl, String namePrefix, ConnectorServer connector)
      throws Exception {
    AccountApi api = new AccountApi(java.net.URI.create(apiUrl));
    String username = namePrefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    String password = "password-" + username;
    return connect(api, api.register(username, password, namePrefix), password, connector);
  }

  /** Logs the same account in again, as a new device, on {@code connector}. */
  ChatUser connectAgain(ConnectorServer connector) throws Exception {
    return connect(api, account, password, connector);
  }

  private static ChatUser connect(
      AccountApi api, RegisteredUser account, String password, ConnectorServer connector)
      throws Exception {
    String username = account.username();
    String apiUrl = api.baseUrl().toString();
    String deviceId = "test-" + UUID.randomUUID().toString().substring(0, 8);
    LoginSession session = api.login(username, password, deviceId);
    // account-api hands out connectors in turn; a test that needs a given one overrides it, the
    // token is valid on every connector.
    LoginSession onConnector =
        new LoginSession(
            session.userId(),
            session.token(),
            session.expiresAt(),
            new ConnectorAddress(connector.id(), "127.0.0.1", connector.clientPort()));
    ChatUser[] self = new ChatUser[1];
    ClientListener listener =
        new ClientListener() {
          @Override
          public void onMessage(ChatMsg message) {
            self[0].messages.add(message);
          }

          @Override
          public void onReceipt(AckMsg receipt) {
            self[0].receipts.add(receipt);
          }

          @Override
          public void onError(Error error) {
            self[0].errors.add(error);
          }

          @Override
          public void onKicked(Kick kick) {
            self[0].kicks.add(kick);
          }

          @Override
          public void onNotice(Notice notice) {
            self[0].notices.add(notice);
          }
        };
    SwitchboardClient client =
        new SwitchboardClient(
            ClientConfig.builder()
                .apiBaseUrl(apiUrl)
                .deviceId(deviceId)
                .requestTimeout(Duration.ofSeconds(20))
                // Receipts stored while a user was away are not announced by conversation heads;
                // the idle sync fetches any that were not yet stored when the user logged in.
                .idleSyncInterval(Duration.ofSeconds(2))
                .listener(listener)
                .build());
    self[0] = new ChatUser(account, password, api, session.token(), client);
    client.connect(onConnector).get(20, TimeUnit.SECONDS);
    return self[0];
  }

  long id() {
    return account.userId();
  }

  /** Friend request from this user, accepted by {@code other}: what the default policy needs. */
  void befriend(ChatUser other) {
    FriendRequest request = api.sendFriendRequest(token, other.id(), "hi");
    other.api.acceptFriendRequest(other.token, request.id());
  }

  List<Notice> noticesOf(NoticeType type) {
    return notices.stream().filter(n -> n.getType() == type).toList();
  }

  List<AckMsg> receiptsOf(MsgType type) {
    return receipts.stream().filter(r -> r.getMsgType() == type).toList();
  }

  void awaitMessages(int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> messages.size() >= count);
  }

  @Override
  public void close() {
    client.close();
  }
}
