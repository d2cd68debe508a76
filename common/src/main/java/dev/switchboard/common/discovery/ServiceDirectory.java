package dev.switchboard.common.discovery;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceInstance;

/**
 * The live instances of one service, kept current by a ZooKeeper watch, so lookups on the message
 * path never go to ZooKeeper.
 */
public final class ServiceDirectory implements AutoCloseable {
  private final String serviceName;
  private final ServiceCache<InstanceDetails> cache;
  private final AtomicInteger next = new AtomicInteger();

  ServiceDirectory(String serviceName, ServiceCache<InstanceDetails> cache) {
    this.serviceName = serviceName;
    this.cache = cache;
  }

  /** Round robin over the live instances. */
  public Optional<ServiceEndpoint> pick() {
    List<ServiceEndpoint> all = all();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(all.get(Math.floorMod(next.getAndIncrement(), all.size())));
  }

  public Optional<ServiceEndpoint> byId(String id) {
    for (ServiceInstance<InstanceDetails> instance : cache.getInstances()) {
      if (instance.getId().equals(id)) {
        return Optional.of(toEndpoint(instance));
      }
    }
    return Optional.empty();
  }

  /** Sorted by id, so that round robin is stable while membership is. */
  public List<ServiceEndpoint> all() {
    return cache.getInstances().stream()
        .map(this::toEndpoint)
        .sorted(Comparator.comparing(ServiceEndpoint::id))
        .toList();
  }

  public String serviceName() {
    return serviceName;
  }

  private ServiceEndpoint toEndpoint(ServiceInstance<InstanceDetails> instance) {
    InstanceDetails details = instance.getPayload();
    return new ServiceEndpoint(
        instance.getName(),
        instance.getId(),
        instance.getAddress(),
        instance.getPort() == null ? 0 : instance.getPort(),
        details == null ? null : details.getPorts());
  }

  @Override
  public void close() {
    try {
      cache.close();
    } catch (IOException e) {
      // A cache only holds watches; nothing is lost if closing them fails.
    }
  }
}
