package dev.switchboard.client.console;

import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.KickReason;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How the console shows things; pure functions so that the wording is tested in one place. */
final class ConsoleFormat {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private ConsoleFormat() {}

  /** {@code [12:01:33] bob: hello (#seq 5)}. */
  static String incoming(long sentAtMs, ZoneId zone, String from, String text, long seq) {
    return "[" + time(sentAtMs, zone) + "] " + from + ": " + text + "  (#seq " + seq + ")";
  }

  /** Own message sent from another device: {@code [12:01:33] you → bob: hello (#seq 5)}. */
  static String ownFromOtherDevice(long sentAtMs, ZoneId zone, String to, String text, long seq) {
    return "[" + time(sentAtMs, zone) + "] you → " + to + ": " + text + "  (#seq " + seq + ")";
  }

  static String sent(long seq) {
    return "  ✓ sent (#" + seq + ")";
  }

  static String delivered(String to, long seq) {
    return "  ✓✓ delivered to " + to + " (#" + seq + ")";
  }

  static String read(String by, long seq) {
    return "  read by " + by + " up to #" + seq;
  }

  static String unknownUser(String username) {
    return "! unknown user: " + username;
  }

  /** A send refused with BLOCKED: the server does not say which side blocked. */
  static String blocked(String peer) {
    return "! " + peer + " blocked you or you blocked " + peer;
  }

  static String notFriends(String peer) {
    return "! you and " + peer + " are not friends yet: :add " + peer;
  }

  /** {@code * bob wants to be your friend: "hi" (request 12, :accept 12)}. */
  static String friendRequestNotice(String from, String text, long requestId) {
    return "* "
        + from
        + " wants to be your friend"
        + (text == null || text.isEmpty() ? "" : ": \"" + text + "\"")
        + " (request "
        + requestId
        + ", :accept "
        + requestId
        + ")";
  }

  static String friendAccepted(String by) {
    return "* " + by + " accepted your friend request";
  }

  static String presence(String who, boolean online) {
    return online ? "* " + who + " is online" : "* " + who + " went offline";
  }

  /** One line of {@code :friends}: {@code bob (id 1002) online}. */
  static String friend(String name, long userId, boolean online) {
    return "  " + name + " (id " + userId + ") " + (online ? "online" : "offline");
  }

  /** One line of {@code :requests}: {@code #12 from bob: "hi" (:accept 12 / :reject 12)}. */
  static String incomingRequest(long requestId, String from, String text) {
    return "  #"
        + requestId
        + " from "
        + from
        + (text == null || text.isEmpty() ? "" : ": \"" + text + "\"")
        + "  (:accept "
        + requestId
        + " / :reject "
        + requestId
        + ")";
  }

  static String kicked(KickReason reason, String message) {
    String why =
        switch (reason) {
          case LOGGED_IN_ELSEWHERE -> "logged in elsewhere";
          case LOGGED_OUT -> "logged out";
          case TOKEN_REVOKED -> "token revoked";
          case SERVER_SHUTDOWN -> "server shutting down";
          default -> message == null || message.isEmpty() ? "by the server" : message;
        };
    return "! kicked: " + why;
  }

  static String serverError(ErrorCode code, String message) {
    return "! server error " + code + (message == null || message.isEmpty() ? "" : ": " + message);
  }

  static String time(long epochMillis, ZoneId zone) {
    long ms = epochMillis > 0 ? epochMillis : System.currentTimeMillis();
    return TIME.format(Instant.ofEpochMilli(ms).atZone(zone));
  }
}
