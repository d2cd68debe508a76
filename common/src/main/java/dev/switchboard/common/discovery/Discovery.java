package dev.switchboard.common.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service registration and lookup in ZooKeeper (Curator service discovery). Instances are ephemeral
 * nodes: they vanish when the process or its ZooKeeper session dies, and Curator re-registers them
 * after a reconnect.
 */
public final class Discovery implements AutoCloseable {
  static final String BASE_PATH = "/switchboard/services";
  private static final Logger log = LoggerFactory.getLogger(Discovery.class);

  private final ServiceDiscovery<InstanceDetails> discovery;
  private final List<AutoCloseable> opened = new ArrayList<>();

  public Discovery(CuratorFramework zk) {
    this.discovery =
        ServiceDiscoveryBuilder.builder(InstanceDetails.class)
            .client(zk)
            .basePath(BASE_PATH)
            .serializer(new JsonInstanceSerializer<>(InstanceDetails.class))
            .watchInstances(true)
            .build();
    try {
      discovery.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start service discovery in ZooKeeper", e);
    }
  }

  public Registration register(ServiceEndpoint self) {
    ServiceInstance<InstanceDetails> instance;
    try {
      instance =
          ServiceInstance.<InstanceDetails>builder()
              .name(self.name())
              .id(self.id())
              .address(self.host())
              .port(self.port())
              .payload(new InstanceDetails(self.ports()))
              .serviceType(ServiceType.DYNAMIC)
              .build();
      discovery.registerService(instance);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot register " + self.name() + " " + self.id() + " in ZooKeeper", e);
    }
    log.info(
        "registered service={} id={} address={} ports={}",
        self.name(),
        self.id(),
        self.target(),
        self.ports());
    return new Registration() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (closed) {
          return;
        }
        closed = true;
        try {
          discovery.unregisterService(instance);
          log.info("unregistered service={} id={}", self.name(), self.id());
        } catch (Exception e) {
          // The node is ephemeral: it disappears with the session anyway.
          log.warn(
              "could not unregister service={} id={}: {}", self.name(), self.id(), e.toString());
        }
      }
    };
  }

  /** A live, self-updating view of one service's instances. */
  public ServiceDirectory directory(String serviceName) {
    ServiceCache<InstanceDetails> cache = discovery.serviceCacheBuilder().name(serviceName).build();
    try {
      cache.start();
    } catch (Exception e) {
      try {
        cache.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
      throw new IllegalStateException("cannot watch " + serviceName + " in ZooKeeper", e);
    }
    ServiceDirectory directory = new ServiceDirectory(serviceName, cache);
    synchronized (opened) {
      opened.add(directory);
    }
    return directory;
  }

  @Override
  public void close() {
    synchronized (opened) {
      for (AutoCloseable closeable : opened) {
        try {
          closeable.close();
        } catch (Exception e) {
          log.debug("closing {} failed", closeable, e);
        }
      }
      opened.clear();
    }
    try {
      discovery.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
