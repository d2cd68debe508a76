package dev.switchboard.transfer;

import dev.switchboard.common.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one transfer instance configured from the environment until SIGTERM. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    TransferServer server = new TransferServer(TransferConfig.fromEnv(Env.system()));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "transfer-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      log.error("transfer failed to start", e);
      System.exit(1);
    }
    server.awaitTermination();
  }
}
