package dev.switchboard.connector.route;

import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import java.util.Optional;
import java.util.Set;

/** Chooses an instance of a service, preferring ones not tried yet. */
@FunctionalInterface
public interface EndpointPicker {

  /**
   * An instance whose id is not in {@code avoid}, or any instance when all were tried; empty when
   * none is live.
   */
  Optional<ServiceEndpoint> pick(Set<String> avoid);

  /** Round robin over the directory's live instances, skipping the ones to avoid. */
  static EndpointPicker of(ServiceDirectory directory) {
    return avoid -> {
      int live = directory.all().size();
      for (int i = 0; i < live; i++) {
        Optional<ServiceEndpoint> candidate = directory.pick();
        if (candidate.isEmpty() || !avoid.contains(candidate.get().id())) {
          return candidate;
        }
      }
      return directory.pick();
    };
  }
}
