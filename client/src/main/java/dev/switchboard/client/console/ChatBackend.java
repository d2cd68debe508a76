package dev.switchboard.client.console;

import dev.switchboard.client.rest.Friend;
import dev.switchboard.client.rest.FriendRequest;
import dev.switchboard.client.rest.OnlineUsers;
import dev.switchboard.client.rest.UserProfile;
import dev.switchboard.proto.AckMsg;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the console needs from the SDK; an interface so that the command loop can be tested without
 * a server. The lookups may block (REST) and throw the SDK's REST exceptions.
 */
public interface ChatBackend {

  long userId();

  boolean isConnected();

  CompletableFuture<AckMsg> sendText(long destUserId, String text);

  void markRead(String conversationId, long seq);

  Optional<UserProfile> findUser(String username);

  Optional<UserProfile> userById(long userId);

  OnlineUsers onlineUsers(int limit);

  List<Friend> friends();

  FriendRequest sendFriendRequest(long toUserId, String message);

  /** Friend requests sent to this user that are still pending. */
  List<FriendRequest> incomingFriendRequests();

  FriendRequest acceptFriendRequest(long requestId);

  FriendRequest rejectFriendRequest(long requestId);

  void block(long userId);

  void unblock(long userId);
}
