package dev.switchboard.bench.lean;

import dev.switchboard.client.net.ClientChannelInitializer;
import dev.switchboard.client.net.FrameHandler;
import dev.switchboard.client.net.NettyTransport;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Ping;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many idle, authenticated connections from one JVM: the SDK's own framing and protobuf classes
 * ({@link ClientChannelInitializer}), but none of its per-client state (dedup, reorder, sync,
 * pending sends), which a hundred thousand connections that never chat do not need. Each connection
 * logs in with a token, answers the server's Pings and sends its own heartbeat at the interval the
 * LoginResp gives, with a random phase so that the pings spread evenly.
 */
public final class LeanClient implements AutoCloseable {
  /** Server frames (sync pages) can be larger than a client's own. */
  static final int MAX_FRAME_BYTES = 1024 * 1024;

  static final Frame PING = Frame.newBuilder().setPing(Ping.newBuilder().setTimeMs(0)).build();

  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelClass;
  private final Duration connectTimeout;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder pings = new LongAdder();

  public LeanClient(int ioThreads, Duration connectTimeout) {
    this.group = NettyTransport.newEventLoopGroup(ioThreads, "bench-lean-io");
    this.channelClass = NettyTransport.socketChannelFor(group);
    this.connectTimeout = connectTimeout;
  }

  /**
   * Connects from {@code local} (port chosen by the kernel) and logs in. Completes when the
   * LoginResp said ok; fails on a refusal, a connect error or after the login timeout.
   */
  public CompletableFuture<LeanConnection> open(
      InetSocketAddress connector,
      InetAddress local,
      String token,
      String deviceId,
      Duration loginTimeout) {
    LeanConnection connection = new LeanConnection(token, deviceId, this);
    new Bootstrap()
        .group(group)
        .channel(channelClass)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ClientChannelInitializer.configure(
                    ch.pipeline(), MAX_FRAME_BYTES, new FrameHandler(connection));
                connection.attach(ch);
              }
            })
        .connect(connector, local == null ? null : new InetSocketAddress(local, 0))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                connection.failConnect(f.cause());
              }
            });
    connection.armLoginTimeout(group.next(), loginTimeout);
    return connection.loggedIn();
  }

  /** Logged-in connections that the server closed (or that failed) before the run closed them. */
  public long dropped() {
    return dropped.sum();
  }

  public long pingsSent() {
    return pings.sum();
  }

  void onDropped() {
    dropped.increment();
  }

  void onPing() {
    pings.increment();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
  }
}
