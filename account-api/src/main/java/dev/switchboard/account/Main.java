package dev.switchboard.account;

import dev.switchboard.common.config.Env;
import java.util.concurrent.CountDownLatch;

/** Runs account-api alone, configured by environment variables, until SIGTERM / Ctrl-C. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    AccountApiConfig config = AccountApiConfig.fromEnv(Env.system());
    AccountApiServer server = new AccountApiServer(config, true);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "account-api-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      server.close();
      throw e;
    }
    stopped.await();
  }
}
