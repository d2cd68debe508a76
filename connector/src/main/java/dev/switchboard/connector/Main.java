package dev.switchboard.connector;

import dev.switchboard.common.config.ConfigException;
import dev.switchboard.common.config.Env;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one connector configured from IM_* environment variables until SIGTERM. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    // Must happen before the first logger exists; an explicit -Dlogback.configurationFile wins.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "dev/switchboard/connector/logback-main.xml");
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    ConnectorConfig config;
    try {
      config = ConnectorConfig.fromEnv(Env.system());
    } catch (ConfigException e) {
      System.err.println("connector: " + e.getMessage());
      System.exit(2);
      return;
    }
    ConnectorServer server = new ConnectorServer(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "connector-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      log.error("connector {} failed to start: {}", config.id(), e.getMessage(), e);
      System.exit(1);
    }
    stopped.await();
  }
}
