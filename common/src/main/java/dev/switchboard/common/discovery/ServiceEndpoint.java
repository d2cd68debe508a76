package dev.switchboard.common.discovery;

import java.util.Map;

/**
 * One live instance of a service: where its main (gRPC) port is and any other named ports, e.g. a
 * connector's {@code client} port that account-api hands to clients.
 */
public record ServiceEndpoint(
    String name, String id, String host, int port, Map<String, Integer> ports) {

  public ServiceEndpoint {
    ports = ports == null ? Map.of() : Map.copyOf(ports);
  }

  /** {@code host:port}, for gRPC channel builders. */
  public String target() {
    return host + ":" + port;
  }

  public int port(String portName) {
    Integer value = ports.get(portName);
    if (value == null) {
      throw new IllegalStateException(name + " instance " + id + " has no port named " + portName);
    }
    return value;
  }
}
