package dev.switchboard.client.console;

import java.util.Locale;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/** Parses a console line into a {@link Command}; pure, never throws. */
public final class CommandParser {

  /** The account-api's user name rule. */
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");

  private CommandParser() {}

  public static Command parse(String line) {
    if (line == null) {
      return new Command.Quit();
    }
    String s = line.strip();
    if (s.isEmpty()) {
      return new Command.Empty();
    }
    if (s.startsWith("@")) {
      return parseSend(s.substring(1));
    }
    if (s.startsWith(":")) {
      String[] parts = s.substring(1).split("\\s+", 2);
      String word = parts[0].toLowerCase(Locale.ROOT);
      String args = parts.length > 1 ? parts[1].strip() : "";
      return switch (word) {
        case "q", "quit", "exit" -> new Command.Quit();
        case "olu" -> new Command.ListOnline();
        case "friends" -> new Command.ListFriends();
        case "add" -> parseAdd(args);
        case "requests" -> new Command.ListRequests();
        case "accept" -> parseRequestId("accept", args, Command.AcceptRequest::new);
        case "reject" -> parseRequestId("reject", args, Command.RejectRequest::new);
        case "block" -> parseUsernameOnly("block", args, Command.Block::new);
        case "unblock" -> parseUsernameOnly("unblock", args, Command.Unblock::new);
        case "read" -> new Command.ToggleAutoRead();
        case "whoami" -> new Command.WhoAmI();
        case "help", "h", "?" -> new Command.Help();
        case "" -> new Command.Invalid("missing command after ':' (type :help)");
        default -> new Command.Invalid("unknown command :" + word + " (type :help)");
      };
    }
    return new Command.Invalid("to send a message type @username text (type :help for commands)");
  }

  /** {@code :add username [message]}: the message is the rest of the line, if any. */
  private static Command parseAdd(String args) {
    int space = indexOfWhitespace(args);
    String username = space < 0 ? args : args.substring(0, space);
    String message = space < 0 ? "" : args.substring(space).strip();
    Command.Invalid invalid = checkUsername("add", username, " [message]");
    if (invalid != null) {
      return invalid;
    }
    return new Command.AddFriend(username, message.isEmpty() ? null : message);
  }

  private static Command parseUsernameOnly(
      String command, String args, Function<String, Command> make) {
    if (indexOfWhitespace(args) >= 0) {
      return new Command.Invalid("usage: :" + command + " <username>");
    }
    Command.Invalid invalid = checkUsername(command, args, "");
    return invalid != null ? invalid : make.apply(args);
  }

  private static Command.Invalid checkUsername(String command, String username, String rest) {
    if (username.isEmpty()) {
      return new Command.Invalid("usage: :" + command + " <username>" + rest);
    }
    if (!USERNAME.matcher(username).matches()) {
      return new Command.Invalid(
          "not a valid user name: '" + username + "' (3..32 of A-Z a-z 0-9 _ . -)");
    }
    return null;
  }

  private static Command parseRequestId(String command, String args, LongFunction<Command> make) {
    if (args.isEmpty()) {
      return new Command.Invalid("usage: :" + command + " <request id> (see :requests)");
    }
    long id;
    try {
      id = Long.parseLong(args.startsWith("#") ? args.substring(1) : args);
    } catch (NumberFormatException e) {
      id = 0;
    }
    if (id <= 0) {
      return new Command.Invalid("not a request id: '" + args + "' (see :requests)");
    }
    return make.apply(id);
  }

  private static Command parseSend(String rest) {
    int space = indexOfWhitespace(rest);
    String username = space < 0 ? rest : rest.substring(0, space);
    String text = space < 0 ? "" : rest.substring(space).strip();
    if (username.isEmpty()) {
      return new Command.Invalid("missing user name: type @username text");
    }
    if (!USERNAME.matcher(username).matches()) {
      return new Command.Invalid(
          "not a valid user name: '" + username + "' (3..32 of A-Z a-z 0-9 _ . -)");
    }
    if (text.isEmpty()) {
      return new Command.Invalid(
          "nothing to send to " + username + ": type @" + username + " text");
    }
    return new Command.Send(username, text);
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
