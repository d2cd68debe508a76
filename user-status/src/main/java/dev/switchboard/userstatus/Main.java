package dev.switchboard.userstatus;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one user-status instance configured from the environment until SIGTERM. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    UserStatusConfig config;
    try {
      config = UserStatusConfig.fromEnv(Env.system());
    } catch (ConfigException e) {
      System.err.println("user-status: " + e.getMessage());
      System.exit(2);
      return;
    }
    UserStatusServer server = new UserStatusServer(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "user-status-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      log.error("user-status failed to start: {}", e.getMessage(), e);
      System.exit(1);
    }
    server.awaitTermination();
  }
}
