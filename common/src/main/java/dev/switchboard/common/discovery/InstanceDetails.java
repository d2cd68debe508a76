package dev.switchboard.common.discovery;

import java.util.HashMap;
import java.util.Map;

/** The payload stored with each ZooKeeper service instance (serialized as JSON by Curator). */
public final class InstanceDetails {
  private Map<String, Integer> ports = new HashMap<>();

  public InstanceDetails() {}

  InstanceDetails(Map<String, Integer> ports) {
    this.ports = new HashMap<>(ports);
  }

  public Map<String, Integer> getPorts() {
    return ports;
  }

  public void setPorts(Map<String, Integer> ports) {
    this.ports = ports == null ? new HashMap<>() : ports;
  }
}
