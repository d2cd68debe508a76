package dev.switchboard.client.console;

import dev.switchboard.client.ClientConfig;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.LoginSession;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.Charset;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The interactive console client: {@code @bob hello} sends, incoming messages and receipts print as
 * they arrive. Exit codes: 0 after {@code :q} or end of input, 1 when login fails or a server
 * cannot be reached, 2 when the server ended the session.
 */
@Command(
    name = "switchboard-console",
    mixinStandardHelpOptions = true,
    version = "switchboard console 0.1.0",
    description = "Interactive Switchboard chat client. Type :help after login.")
public final class ConsoleMain implements Callable<Integer> {

  static final int EXIT_LOGIN_FAILED = 1;

  @Option(
      names = "--api",
      defaultValue = "${env:IM_API_URL:-http://127.0.0.1:8080}",
      description = "account-api base URL (default: $IM_API_URL or ${DEFAULT-VALUE})")
  URI api;

  @Option(
      names = {"-u", "--user"},
      description = "user name (asked if missing)")
  String user;

  @Option(
      names = {"-p", "--password"},
      description = "password (asked if missing; prefer the prompt, arguments are visible to ps)")
  String password;

  @Option(
      names = {"-d", "--device"},
      description = "device id (default console-<random>)")
  String device;

  @Option(names = "--register", description = "create the account first (fine if it exists)")
  boolean register;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ConsoleMain()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Console console = System.console();
    Charset charset = console != null ? console.charset() : Charset.defaultCharset();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, charset));
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
    return run(in, out, console);
  }

  /** Everything but the process streams; {@code console} may be null (no terminal). */
  int run(BufferedReader in, PrintWriter out, Console console) throws IOException {
    String username = user;
    if (username == null || username.isBlank()) {
      out.print("User: ");
      out.flush();
      username = in.readLine();
      if (username == null || username.isBlank()) {
        out.println("! no user name given");
        return EXIT_LOGIN_FAILED;
      }
      username = username.strip();
    }
    String pw = password;
    if (pw == null) {
      pw = readPassword(username, in, out, console);
      if (pw == null) {
        out.println("! no password given");
        return EXIT_LOGIN_FAILED;
      }
    }
    String deviceId =
        device == null || device.isBlank()
            ? "console-" + UUID.randomUUID().toString().substring(0, 6)
            : device;

    AccountApi accountApi = new AccountApi(api);
    Optional<LoginSession> login =
        new LoginFlow(accountApi, in, out).login(username, pw, deviceId, register);
    if (login.isEmpty()) {
      return EXIT_LOGIN_FAILED;
    }
    LoginSession session = login.get();

    ConsoleSession ui =
        new ConsoleSession(
            out,
            ZoneId.systemDefault(),
            new ConsoleSession.Identity(username, deviceId, session.connector().toString()));
    ClientConfig config =
        ClientConfig.builder()
            .apiBaseUrl(api)
            .deviceId(deviceId)
            .listener(ui)
            .clientVersion("switchboard-console/0.1.0")
            .build();
    try (SwitchboardClient client = new SwitchboardClient(config, accountApi)) {
      ui.attach(new SdkChatBackend(client, accountApi, session));
      try {
        client
            .connect(session, username, pw) // credentials: a reconnect may log in again
            .get(
                config.connectTimeout().plus(config.requestTimeout()).toMillis(),
                TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        out.println(
            cause instanceof java.net.ConnectException
                ? "! " + cause.getMessage()
                : "! cannot log in to connector "
                    + session.connector()
                    + ": "
                    + cause.getMessage());
        return EXIT_LOGIN_FAILED;
      } catch (java.util.concurrent.TimeoutException e) {
        out.println("! cannot log in to connector " + session.connector() + ": no answer");
        return EXIT_LOGIN_FAILED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return EXIT_LOGIN_FAILED;
      }
      out.println(
          "Logged in as "
              + username
              + " (id "
              + client.userId()
              + ") on connector "
              + session.connector()
              + ". Type :help");
      return ui.run(in);
    }
  }

  private static String readPassword(
      String username, BufferedReader in, PrintWriter out, Console console) throws IOException {
    if (console != null) {
      char[] chars = console.readPassword("Password for %s: ", username);
      return chars == null ? null : new String(chars);
    }
    out.print("Password for " + username + ": ");
    out.flush();
    return in.readLine();
  }
}
