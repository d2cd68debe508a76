package dev.switchboard.client.console;

/** One line of console input, parsed by {@link CommandParser}. */
public sealed interface Command {

  /** {@code @username text}. */
  record Send(String username, String text) implements Command {}

  /** {@code :olu} — list online users. */
  record ListOnline() implements Command {}

  /** {@code :read} — toggle marking displayed messages as read. */
  record ToggleAutoRead() implements Command {}

  /** {@code :whoami}. */
  record WhoAmI() implements Command {}

  /** {@code :help}. */
  record Help() implements Command {}

  /** {@code :q} — quit. */
  record Quit() implements Command {}

  /** A blank line: nothing to do. */
  record Empty() implements Command {}

  /** Input that is not a command; {@code message} tells the user what to type instead. */
  record Invalid(String message) implements Command {}
}
