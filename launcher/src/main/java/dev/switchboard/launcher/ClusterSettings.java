package dev.switchboard.launcher;

import java.util.List;
import java.util.Map;

/**
 * The shape of a local cluster.
 *
 * @param httpHost where account-api listens
 * @param httpPort account-api's port; 0 picks a free one (tests)
 * @param connectorPorts one client TCP port per connector; 0 picks a free one
 * @param transfers how many transfer instances to run
 * @param jwtSecret the token signing secret shared by account-api and the connectors
 * @param overrides further IM_* settings given to every service (e.g. short timeouts in tests)
 */
public record ClusterSettings(
    String httpHost,
    int httpPort,
    List<Integer> connectorPorts,
    int transfers,
    String jwtSecret,
    Map<String, String> overrides) {

  public ClusterSettings {
    if (connectorPorts.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one connector");
    }
    if (transfers < 1) {
      throw new IllegalArgumentException("a cluster needs at least one transfer");
    }
    connectorPorts = List.copyOf(connectorPorts);
    overrides = Map.copyOf(overrides);
  }
}
