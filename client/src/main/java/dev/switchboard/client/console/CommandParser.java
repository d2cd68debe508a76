package dev.switchboard.client.console;

import java.util.Locale;
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
      String word = s.substring(1).split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
      return switch (word) {
        case "q", "quit", "exit" -> new Command.Quit();
        case "olu" -> new Command.ListOnline();
        case "read" -> new Command.ToggleAutoRead();
        case "whoami" -> new Command.WhoAmI();
        case "help", "h", "?" -> new Command.Help();
        case "" -> new Command.Invalid("missing command after ':' (type :help)");
        default -> new Command.Invalid("unknown command :" + word + " (type :help)");
      };
    }
    return new Command.Invalid("to send a message type @username text (type :help for commands)");
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
