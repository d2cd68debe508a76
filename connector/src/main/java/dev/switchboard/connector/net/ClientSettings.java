package dev.switchboard.connector.net;

import dev.switchboard.connector.ConnectorConfig;
import java.time.Duration;

/** The part of the configuration the client pipeline needs. */
public record ClientSettings(
    String connectorId,
    int maxFrameBytes,
    Duration loginTimeout,
    Duration heartbeatInterval,
    Duration idleTimeout,
    int maxQueuedChatsPerSession,
    Duration syncWait) {

  public static ClientSettings of(ConnectorConfig config) {
    return new ClientSettings(
        config.id(),
        config.maxFrameBytes(),
        config.loginTimeout(),
        config.heartbeatInterval(),
        config.idleTimeout(),
        config.maxQueuedChatsPerSession(),
        config.syncWait());
  }
}
