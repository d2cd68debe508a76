package dev.switchboard.client.console;

/** One line of console input, parsed by {@link CommandParser}. */
public sealed interface Command {

  /** {@code @username text}. */
  record Send(String username, String text) implements Command {}

  /** {@code :olu} — list online users. */
  record ListOnline() implements Command {}

  /** {@code :friends} — list friends with their online state. */
  record ListFriends() implements Command {}

  /** {@code :add username [message]} — send a friend request; {@code message} may be null. */
  record AddFriend(String username, String message) implements Command {}

  /** {@code :requests} — list incoming pending friend requests with their ids. */
  record ListRequests() implements Command {}

  /** {@code :accept id} — accept a friend request. */
  record AcceptRequest(long requestId) implements Command {}

  /** {@code :reject id} — reject a friend request. */
  record RejectRequest(long requestId) implements Command {}

  /** {@code :block username} — no messages either way from now on. */
  record Block(String username) implements Command {}

  /** {@code :unblock username}. */
  record Unblock(String username) implements Command {}

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
