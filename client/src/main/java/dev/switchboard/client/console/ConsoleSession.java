package dev.switchboard.client.console;

import dev.switchboard.client.ClientListener;
import dev.switchboard.client.ConnectionClosedException;
import dev.switchboard.client.ServerErrorException;
import dev.switchboard.client.rest.ApiException;
import dev.switchboard.client.rest.ApiUnreachableException;
import dev.switchboard.client.rest.Friend;
import dev.switchboard.client.rest.FriendRequest;
import dev.switchboard.client.rest.OnlineUsers;
import dev.switchboard.client.rest.UserProfile;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.Notice;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The interactive part of the console: reads commands from a {@link BufferedReader}, shows what the
 * {@link ChatBackend} reports on a {@link PrintWriter}. It is also the client's listener, so
 * incoming messages and receipts print as they come (from the client's callback thread; {@code
 * PrintWriter} serializes the lines).
 *
 * <p>Exit codes of {@link #run}: {@value #EXIT_OK} after {@code :q} or end of input, {@value
 * #EXIT_SESSION_ENDED} when the session ended for good (kick, reconnecting gave up) and the user
 * pressed Enter.
 */
public final class ConsoleSession implements ClientListener {

  public static final int EXIT_OK = 0;
  public static final int EXIT_SESSION_ENDED = 2;

  /** How many users {@code :olu} lists. */
  static final int ONLINE_LIST_LIMIT = 100;

  /** Who is logged in, for {@code :whoami}. */
  public record Identity(String username, String deviceId, String connector) {}

  private final PrintWriter out;
  private final ZoneId zone;
  private final Identity identity;
  private ChatBackend backend;
  private UserDirectory users;
  private volatile boolean autoRead = true;
  private volatile boolean ended;
  private volatile boolean kicked;
  private volatile KickReason kickReason;

  public ConsoleSession(PrintWriter out, ZoneId zone, Identity identity) {
    this.out = out;
    this.zone = zone;
    this.identity = identity;
  }

  /** Must be called before the client connects (the listener needs the backend). */
  public void attach(ChatBackend backend) {
    this.backend = backend;
    this.users = new UserDirectory(backend);
  }

  /** Reads and executes commands until {@code :q}, end of input or the end of the session. */
  public int run(BufferedReader in) throws IOException {
    if (backend == null) {
      throw new IllegalStateException("attach(backend) first");
    }
    users.remember(backend.userId(), identity.username());
    String line;
    while ((line = in.readLine()) != null) {
      Command command = CommandParser.parse(line);
      if (command instanceof Command.Quit) {
        return EXIT_OK;
      }
      if (ended) {
        out.println("session ended");
        return EXIT_SESSION_ENDED;
      }
      execute(command);
    }
    return EXIT_OK;
  }

  public boolean autoRead() {
    return autoRead;
  }

  void execute(Command command) {
    if (command instanceof Command.Send send) {
      send(send.username(), send.text());
    } else if (command instanceof Command.ListOnline) {
      listOnline();
    } else if (command instanceof Command.ListFriends) {
      listFriends();
    } else if (command instanceof Command.AddFriend add) {
      addFriend(add.username(), add.message());
    } else if (command instanceof Command.ListRequests) {
      listRequests();
    } else if (command instanceof Command.AcceptRequest accept) {
      accept(accept.requestId());
    } else if (command instanceof Command.RejectRequest reject) {
      reject(reject.requestId());
    } else if (command instanceof Command.Block block) {
      block(block.username());
    } else if (command instanceof Command.Unblock unblock) {
      unblock(unblock.username());
    } else if (command instanceof Command.ToggleAutoRead) {
      autoRead = !autoRead;
      out.println("auto-read " + (autoRead ? "on" : "off"));
    } else if (command instanceof Command.WhoAmI) {
      out.println(
          identity.username()
              + " (id "
              + backend.userId()
              + "), device "
              + identity.deviceId()
              + ", connector "
              + identity.connector()
              + ", auto-read "
              + (autoRead ? "on" : "off"));
    } else if (command instanceof Command.Help) {
      help();
    } else if (command instanceof Command.Invalid invalid) {
      out.println("! " + invalid.message());
    }
  }

  private void send(String username, String text) {
    Optional<Long> dest;
    try {
      dest = users.idOf(username);
    } catch (ApiException | ApiUnreachableException e) {
      out.println("! cannot look up " + username + ": " + e.getMessage());
      return;
    }
    if (dest.isEmpty()) {
      out.println(ConsoleFormat.unknownUser(username));
      return;
    }
    if (!backend.isConnected()) {
      out.println("! not connected");
      return;
    }
    // Printed by the completing (callback) thread, so "sent" always precedes that message's
    // receipts; the loop waits so that the next prompt line comes after it.
    backend
        .sendText(dest.get(), text)
        .handle(
            (ack, error) -> {
              out.println(
                  error == null ? ConsoleFormat.sent(ack.getSeq()) : sendFailure(username, error));
              return null;
            })
        .join();
  }

  private static String sendFailure(String username, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof ServerErrorException se) {
      if (se.code() == ErrorCode.UNKNOWN_DESTINATION) {
        return ConsoleFormat.unknownUser(username);
      }
      if (se.code() == ErrorCode.BLOCKED) {
        return ConsoleFormat.blocked(username);
      }
      if (se.code() == ErrorCode.NOT_FRIENDS) {
        return ConsoleFormat.notFriends(username);
      }
      return "! not sent to " + username + ": " + se.getMessage();
    }
    if (cause instanceof TimeoutException) {
      return "! not sent to " + username + ": no answer from the server in time";
    }
    if (cause instanceof ConnectionClosedException) {
      return "! not sent to " + username + ": " + cause.getMessage();
    }
    return "! not sent to " + username + ": " + cause;
  }

  private void listOnline() {
    OnlineUsers online;
    try {
      online = backend.onlineUsers(ONLINE_LIST_LIMIT);
    } catch (ApiException | ApiUnreachableException e) {
      out.println("! cannot list online users: " + e.getMessage());
      return;
    }
    out.println("online: " + online.count());
    for (UserProfile u : online.users()) {
      users.remember(u);
      out.println("  " + u.username() + " (id " + u.userId() + ")");
    }
    if (online.count() > online.users().size()) {
      out.println("  ... and " + (online.count() - online.users().size()) + " more");
    }
  }

  private void listFriends() {
    List<Friend> friends;
    try {
      friends = backend.friends();
    } catch (ApiException | ApiUnreachableException e) {
      out.println(apiFailure("list friends", e));
      return;
    }
    if (friends.isEmpty()) {
      out.println("no friends yet: :add <username> [message]");
      return;
    }
    long online = friends.stream().filter(Friend::online).count();
    out.println("friends: " + friends.size() + " (" + online + " online)");
    for (Friend f : friends) {
      users.remember(f.userId(), f.username());
      out.println(ConsoleFormat.friend(f.username(), f.userId(), f.online()));
    }
  }

  private void addFriend(String username, String message) {
    Optional<Long> id = resolve(username);
    if (id.isEmpty()) {
      return;
    }
    try {
      FriendRequest request = backend.sendFriendRequest(id.get(), message);
      out.println("friend request sent to " + username + " (request " + request.id() + ")");
    } catch (ApiException | ApiUnreachableException e) {
      out.println(apiFailure("add " + username, e));
    }
  }

  private void listRequests() {
    List<FriendRequest> requests;
    try {
      requests = backend.incomingFriendRequests();
    } catch (ApiException | ApiUnreachableException e) {
      out.println(apiFailure("list friend requests", e));
      return;
    }
    if (requests.isEmpty()) {
      out.println("no pending friend requests");
      return;
    }
    out.println("friend requests: " + requests.size());
    for (FriendRequest r : requests) {
      out.println(ConsoleFormat.incomingRequest(r.id(), users.nameOf(r.fromUserId()), r.message()));
    }
  }

  private void accept(long requestId) {
    try {
      FriendRequest request = backend.acceptFriendRequest(requestId);
      out.println("you and " + users.nameOf(request.fromUserId()) + " are friends now");
    } catch (ApiException | ApiUnreachableException e) {
      out.println(apiFailure("accept request " + requestId, e));
    }
  }

  private void reject(long requestId) {
    try {
      FriendRequest request = backend.rejectFriendRequest(requestId);
      out.println(
          "friend request "
              + requestId
              + " from "
              + users.nameOf(request.fromUserId())
              + " rejected");
    } catch (ApiException | ApiUnreachableException e) {
      out.println(apiFailure("reject request " + requestId, e));
    }
  }

  private void block(String username) {
    Optional<Long> id = resolve(username);
    if (id.isEmpty()) {
      return;
    }
    try {
      backend.block(id.get());
      out.println("blocked " + username + ": no messages either way");
    } catch (ApiException | ApiUnreachableException e) {
      out.println(apiFailure("block " + username, e));
    }
  }

  private void unblock(String username) {
    Optional<Long> id = resolve(username);
    if (id.isEmpty()) {
      return;
    }
    try {
      backend.unblock(id.get());
      out.println("unblocked " + username);
    } catch (ApiException | ApiUnreachableException e) {
      out.println(apiFailure("unblock " + username, e));
    }
  }

  /** The id of {@code username}, or empty after printing why there is none. */
  private Optional<Long> resolve(String username) {
    try {
      Optional<Long> id = users.idOf(username);
      if (id.isEmpty()) {
        out.println(ConsoleFormat.unknownUser(username));
      }
      return id;
    } catch (ApiException | ApiUnreachableException e) {
      out.println("! cannot look up " + username + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static String apiFailure(String what, RuntimeException e) {
    if (e instanceof ApiException api) {
      String detail = api.detail().isEmpty() ? api.title() : api.detail();
      return "! cannot " + what + ": " + api.code() + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
    return "! cannot " + what + ": " + e.getMessage();
  }

  private void help() {
    out.println("  @username text   send text to username");
    out.println("  :friends         list your friends, online or not");
    out.println("  :add user [msg]  send a friend request (with an optional message)");
    out.println("  :requests        friend requests waiting for you, with their ids");
    out.println("  :accept id       accept friend request id");
    out.println("  :reject id       reject friend request id");
    out.println("  :block user      no messages either way with user");
    out.println("  :unblock user    undo :block");
    out.println("  :olu             list online users");
    out.println(
        "  :read            toggle marking shown messages as read (now "
            + (autoRead ? "on" : "off")
            + ")");
    out.println("  :whoami          who and where you are");
    out.println("  :help            this help");
    out.println("  :q               quit");
  }

  // ---- ClientListener (client's callback thread) -----------------------------------------------

  @Override
  public void onMessage(ChatMsg m) {
    long self = backend.userId();
    if (m.getFromId() == self) {
      out.println(
          ConsoleFormat.ownFromOtherDevice(
              m.getSentAtMs(), zone, users.nameOf(m.getDestId()), m.getMsgBody(), m.getSeq()));
      return;
    }
    out.println(
        ConsoleFormat.incoming(
            m.getSentAtMs(), zone, users.nameOf(m.getFromId()), m.getMsgBody(), m.getSeq()));
    if (autoRead && m.getSeq() > 0 && !m.getConversationId().isEmpty()) {
      try {
        backend.markRead(m.getConversationId(), m.getSeq());
      } catch (RuntimeException e) {
        out.println("! could not mark as read: " + e.getMessage());
      }
    }
  }

  @Override
  public void onReceipt(AckMsg a) {
    if (a.getFromId() == backend.userId()) {
      return; // our own other device read or received something: nothing to tell
    }
    if (a.getMsgType() == MsgType.DELIVERED) {
      out.println(ConsoleFormat.delivered(users.nameOf(a.getFromId()), a.getSeq()));
    } else if (a.getMsgType() == MsgType.READ) {
      out.println(ConsoleFormat.read(users.nameOf(a.getFromId()), a.getSeq()));
    }
  }

  @Override
  public void onNotice(Notice notice) {
    switch (notice.getType()) {
      case FRIEND_REQUEST ->
          out.println(
              ConsoleFormat.friendRequestNotice(
                  users.nameOf(notice.getFromUserId()),
                  notice.getText(),
                  notice.getFriendRequestId()));
      case FRIEND_ACCEPTED ->
          out.println(ConsoleFormat.friendAccepted(users.nameOf(notice.getFromUserId())));
      case PRESENCE ->
          out.println(
              ConsoleFormat.presence(users.nameOf(notice.getFromUserId()), notice.getOnline()));
      default -> {
        // a notice type newer than this console: nothing to show
      }
    }
  }

  @Override
  public void onError(Error error) {
    out.println(ConsoleFormat.serverError(error.getCode(), error.getMessage()));
  }

  @Override
  public void onKicked(Kick kick) {
    kicked = true;
    kickReason = kick.getReason();
    out.println(ConsoleFormat.kicked(kick.getReason(), kick.getMessage()));
  }

  @Override
  public void onDisconnected(Throwable cause) {
    if (cause == null) {
      return; // we closed it
    }
    if (kicked && kickReason != KickReason.SERVER_SHUTDOWN) {
      ended = true; // logged in elsewhere, logged out, revoked: the SDK does not come back
      out.println("! session ended — press Enter to quit");
      return;
    }
    out.println("! disconnected: " + cause.getMessage() + " — reconnecting…");
  }

  @Override
  public void onReconnected(LoginResp resp) {
    kicked = false;
    kickReason = null;
    out.println("reconnected (connector " + resp.getConnectorId() + ")");
  }

  @Override
  public void onReconnectFailed(Throwable cause) {
    ended = true;
    out.println("! could not reconnect: " + cause.getMessage() + " — press Enter to quit");
  }
}
