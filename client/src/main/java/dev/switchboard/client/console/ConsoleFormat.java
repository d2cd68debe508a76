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
