package dev.switchboard.common.grpc;

import dev.switchboard.common.discovery.ServiceEndpoint;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived channel per peer address. gRPC channels reconnect by themselves, so a peer that
 * restarts on the same address keeps its channel; channels to peers that are gone only cost an idle
 * connection attempt until closed here.
 *
 * <p>Responses of async stubs are delivered on the transport's event loop (direct executor) rather
 * than handed to gRPC's default cached thread pool: every async callback in this codebase only
 * completes a future or hands work to its own executor, and under load the extra hand-off per
 * response cost more CPU in thread wake-ups than the callbacks themselves. Blocking stubs are not
 * affected (they run their callbacks on the waiting thread).
 */
public final class GrpcChannels implements AutoCloseable {
  private static final long SHUTDOWN_WAIT_MS = 2_000;

  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public GrpcChannels() {}

  public ManagedChannel forEndpoint(ServiceEndpoint endpoint) {
    return channels.computeIfAbsent(endpoint.target(), GrpcChannels::open);
  }

  private static ManagedChannel open(String target) {
    return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(false)
        .directExecutor()
        .build();
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      try {
        if (!channel.awaitTermination(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    channels.clear();
  }

  /** Closes every channel at once, cancelling calls in flight (a process that dies). */
  public void closeNow() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
