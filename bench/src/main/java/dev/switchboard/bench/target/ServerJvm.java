package dev.switchboard.bench.target;

import com.sun.tools.attach.VirtualMachine;
import dev.switchboard.bench.util.Waits;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.OptionalLong;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heap of a server JVM on this machine, read through its platform MBeans: for another process
 * by attaching to it (the JDK's Attach API starts its local JMX agent; same user, no port to open),
 * for an in-process cluster directly. Heap is read right after a full GC, so that the difference of
 * two readings is live data (e.g. what N connections hold), not garbage that happened to be there.
 */
public final class ServerJvm implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerJvm.class);
  private static final long RSS_POLL_NANOS = 500_000_000L;
  private static final long RSS_STABLE_BYTES = 2L * 1024 * 1024;
  private static final Duration RSS_SETTLE_TIMEOUT = Duration.ofSeconds(15);

  private final long pid;
  private final MemoryMXBean memory;
  private final JMXConnector connector; // null in-process

  private ServerJvm(long pid, MemoryMXBean memory, JMXConnector connector) {
    this.pid = pid;
    this.memory = memory;
    this.connector = connector;
  }

  /** Attaches to {@code pid} (or uses this JVM's own beans when it is this process). */
  public static ServerJvm attach(long pid) throws IOException {
    if (pid == LocalProcesses.self()) {
      return new ServerJvm(pid, ManagementFactory.getMemoryMXBean(), null);
    }
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (com.sun.tools.attach.AttachNotSupportedException e) {
      throw new IOException("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
    }
    try {
      String address = vm.startLocalManagementAgent();
      JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
      MemoryMXBean memory =
          ManagementFactory.newPlatformMXBeanProxy(
              jmx.getMBeanServerConnection(),
              ManagementFactory.MEMORY_MXBEAN_NAME,
              MemoryMXBean.class);
      return new ServerJvm(pid, memory, jmx);
    } finally {
      vm.detach();
    }
  }

  public long pid() {
    return pid;
  }

  /** Heap in use after a full collection. */
  public long liveHeapBytes() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  public OptionalLong rssBytes() {
    return LocalProcesses.rssBytes(pid);
  }

  /**
   * RSS once it stopped moving: after a full GC, G1 shrinks the heap and hands pages back a little
   * later, so a reading right after the GC still counts memory about to be returned.
   */
  public OptionalLong settledRssBytes() {
    long[] last = {rssBytes().orElse(-1)};
    boolean settled =
        Waits.until(
            () -> {
              long before = last[0];
              Waits.parkUntil(System.nanoTime() + RSS_POLL_NANOS);
              last[0] = rssBytes().orElse(-1);
              return Math.abs(last[0] - before) < RSS_STABLE_BYTES;
            },
            RSS_SETTLE_TIMEOUT);
    if (!settled) {
      log.debug("RSS of {} still moving after {}", pid, RSS_SETTLE_TIMEOUT);
    }
    return last[0] < 0 ? OptionalLong.empty() : OptionalLong.of(last[0]);
  }

  @Override
  public void close() {
    if (connector != null) {
      try {
        connector.close();
      } catch (IOException e) {
        log.debug("closing the JMX connection to {} failed", pid, e);
      }
    }
  }
}
