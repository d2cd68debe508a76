package dev.switchboard.client.console;

import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.ApiException;
import dev.switchboard.client.rest.ApiUnreachableException;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.client.rest.RegisteredUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;

/**
 * The console's REST part: optionally register, log in, and on 401 offer to register. Prints what
 * went wrong and returns empty when the console should exit with 1.
 */
final class LoginFlow {

  private final AccountApi api;
  private final BufferedReader in;
  private final PrintWriter out;

  LoginFlow(AccountApi api, BufferedReader in, PrintWriter out) {
    this.api = api;
    this.in = in;
    this.out = out;
  }

  Optional<LoginSession> login(String username, String password, String deviceId, boolean register)
      throws IOException {
    try {
      if (register && !register(username, password)) {
        return Optional.empty();
      }
      try {
        return Optional.of(api.login(username, password, deviceId));
      } catch (ApiException e) {
        if (e.status() != 401 || register) {
          throw e;
        }
      }
      out.print(
          "User " + username + " not found or wrong password. Register " + username + "? [y/N] ");
      out.flush();
      String answer = in.readLine();
      if (answer == null || !isYes(answer)) {
        out.println("! login failed: unknown user or wrong password");
        return Optional.empty();
      }
      if (!register(username, password)) {
        return Optional.empty();
      }
      return Optional.of(api.login(username, password, deviceId));
    } catch (ApiUnreachableException e) {
      out.println("! " + e.getMessage());
      return Optional.empty();
    } catch (ApiException e) {
      out.println("! login failed: " + describe(e));
      return Optional.empty();
    }
  }

  /** Registers; an existing account is fine (then the login checks the password). */
  private boolean register(String username, String password) {
    try {
      RegisteredUser user = api.register(username, password, null);
      out.println("Registered " + user.username() + " (id " + user.userId() + ")");
      return true;
    } catch (ApiException e) {
      if (e.status() == 409) {
        out.println("User " + username + " exists already, logging in");
        return true;
      }
      out.println("! registration failed: " + describe(e));
      return false;
    }
  }

  private static boolean isYes(String answer) {
    String a = answer.strip().toLowerCase(Locale.ROOT);
    return a.equals("y") || a.equals("yes");
  }

  static String describe(ApiException e) {
    if (e.status() == 401) {
      return "unknown user or wrong password";
    }
    String detail = e.detail().isEmpty() ? e.title() : e.detail();
    return e.code() + (detail.isEmpty() ? "" : ": " + detail) + " (HTTP " + e.status() + ")";
  }
}
