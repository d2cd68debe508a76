package dev.switchboard.account.session;

import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each login the next live connector, round robin over the instances registered in ZooKeeper
 * (as the CIM route server does). Round robin rather than least connections: the connection count
 * would need a second source of truth, and logins spread evenly enough over connectors that live as
 * long as these do.
 */
public final class ConnectorPicker {
  /** The connector's port for client TCP connections, as registered by the connector. */
  public static final String CLIENT_PORT = "client";

  private static final Logger log = LoggerFactory.getLogger(ConnectorPicker.class);

  private final ServiceDirectory connectors;

  public ConnectorPicker(ServiceDirectory connectors) {
    this.connectors = connectors;
  }

  /** Empty when no connector with a client port is registered. */
  public Optional<ConnectorAddress> pick() {
    // Each pick advances the round robin; skip instances registered without a client port
    // (a misconfigured connector must not take every Nth login down with it).
    int candidates = connectors.all().size();
    for (int i = 0; i < candidates; i++) {
      Optional<ServiceEndpoint> picked = connectors.pick();
      if (picked.isEmpty()) {
        return Optional.empty();
      }
      ServiceEndpoint endpoint = picked.get();
      Integer clientPort = endpoint.ports().get(CLIENT_PORT);
      if (clientPort != null && clientPort > 0) {
        return Optional.of(new ConnectorAddress(endpoint.id(), endpoint.host(), clientPort));
      }
      log.warn("connector id={} is registered without a '{}' port", endpoint.id(), CLIENT_PORT);
    }
    return Optional.empty();
  }
}
