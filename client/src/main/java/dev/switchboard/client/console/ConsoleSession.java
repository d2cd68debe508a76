package dev.switchboard.client.console;

import dev.switchboard.client.ClientListener;
import dev.switchboard.client.ConnectionClosedException;
import dev.switchboard.client.ServerErrorException;
import dev.switchboard.client.rest.ApiException;
import dev.switchboard.client.rest.ApiUnreachableException;
import dev.switchboard.client.rest.OnlineUsers;
import dev.switchboard.client.rest.UserProfile;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.MsgType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;
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
 * #EXIT_SESSION_ENDED} when the server ended the session (kick, connection lost) and the user
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

  private void help() {
    out.println("  @username text   send text to username");
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
  public void onError(Error error) {
    out.println(ConsoleFormat.serverError(error.getCode(), error.getMessage()));
  }

  @Override
  public void onKicked(Kick kick) {
    kicked = true;
    out.println(ConsoleFormat.kicked(kick.getReason(), kick.getMessage()));
  }

  @Override
  public void onDisconnected(Throwable cause) {
    if (cause == null) {
      return; // we closed it
    }
    ended = true;
    out.println(
        kicked
            ? "! session ended — press Enter to quit"
            : "! disconnected: " + cause.getMessage() + " — press Enter to quit");
  }
}
