package dev.switchboard.client.console;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.Friend;
import dev.switchboard.client.rest.FriendRequest;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.client.rest.OnlineUsers;
import dev.switchboard.client.rest.UserProfile;
import dev.switchboard.proto.AckMsg;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link ChatBackend} over a real {@link SwitchboardClient} and {@link AccountApi}. */
final class SdkChatBackend implements ChatBackend {

  private final SwitchboardClient client;
  private final AccountApi api;
  private final LoginSession session;

  SdkChatBackend(SwitchboardClient client, AccountApi api, LoginSession session) {
    this.client = client;
    this.api = api;
    this.session = session;
  }

  /** The newest session's token: a reconnect may have logged in again over REST. */
  private String token() {
    return client.session().orElse(session).token();
  }

  @Override
  public long userId() {
    return session.userId();
  }

  @Override
  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public CompletableFuture<AckMsg> sendText(long destUserId, String text) {
    return client.sendText(destUserId, text);
  }

  @Override
  public void markRead(String conversationId, long seq) {
    client.markRead(conversationId, seq);
  }

  @Override
  public Optional<UserProfile> findUser(String username) {
    return api.findUserByUsername(token(), username);
  }

  @Override
  public Optional<UserProfile> userById(long userId) {
    return api.userById(token(), userId);
  }

  @Override
  public OnlineUsers onlineUsers(int limit) {
    return api.onlineUsers(token(), limit);
  }

  @Override
  public List<Friend> friends() {
    return api.friends(token());
  }

  @Override
  public FriendRequest sendFriendRequest(long toUserId, String message) {
    return api.sendFriendRequest(token(), toUserId, message);
  }

  @Override
  public List<FriendRequest> incomingFriendRequests() {
    return api.friendRequests(token(), FriendRequest.Direction.IN).stream()
        .filter(FriendRequest::isPending)
        .toList();
  }

  @Override
  public FriendRequest acceptFriendRequest(long requestId) {
    return api.acceptFriendRequest(token(), requestId);
  }

  @Override
  public FriendRequest rejectFriendRequest(long requestId) {
    return api.rejectFriendRequest(token(), requestId);
  }

  @Override
  public void block(long userId) {
    api.block(token(), userId);
  }

  @Override
  public void unblock(long userId) {
    api.unblock(token(), userId);
  }
}
