package dev.switchboard.client.console;

import dev.switchboard.client.rest.OnlineUsers;
import dev.switchboard.client.rest.UserProfile;
import dev.switchboard.proto.AckMsg;
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
}
