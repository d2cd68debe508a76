package dev.switchboard.offlinestore;

import dev.switchboard.common.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one offline-store instance configured from the environment until SIGTERM. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    OfflineStoreServer server = new OfflineStoreServer(OfflineStoreConfig.fromEnv(Env.system()));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "offline-store-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      log.error("offline-store failed to start", e);
      System.exit(1);
    }
    server.awaitTermination();
  }
}
