package dev.switchboard.connector.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listening side of client connections: event loops, bootstrap, bind, graceful close. */
public final class ClientServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClientServer.class);

  /**
   * Past 1 MiB queued for one client the channel turns unwritable and pushes to it close it as a
   * slow consumer (see LocalDelivery) instead of buffering without bound.
   */
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  private final ClientTransport transport;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel serverChannel;

  private ClientServer(
      ClientTransport transport, EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
    this.transport = transport;
    this.boss = boss;
    this.workers = workers;
    this.serverChannel = channel;
  }

  /**
   * Binds {@code host:port} (0 = any free port). Fails with a message naming the port if it is
   * taken.
   */
  public static ClientServer bind(
      String host, int port, ClientTransport transport, ClientChannelInitializer initializer)
      throws InterruptedException {
    EventLoopGroup boss = transport.newGroup(1, new DefaultThreadFactory("connector-accept"));
    EventLoopGroup workers = transport.newGroup(0, new DefaultThreadFactory("connector-io"));
    try {
      Channel channel =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(transport.serverChannel())
              .option(ChannelOption.SO_BACKLOG, 1024)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
              .childHandler(initializer)
              .bind(new InetSocketAddress(host, port))
              .sync()
              .channel();
      log.info("client listener on {} ({})", channel.localAddress(), transport.name());
      return new ClientServer(transport, boss, workers, channel);
    } catch (Exception e) {
      boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      if (isAddressInUse(e)) {
        throw new IllegalStateException(
            "port " + port + " (connector client TCP) on " + host + " is already in use", e);
      }
      throw e;
    }
  }

  /**
   * NIO reports a taken port as {@link BindException}, epoll as a NativeIoException ("bind(..)
   * failed ... Address already in use"); either may be wrapped.
   */
  public static boolean isAddressInUse(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public String transportName() {
    return transport.name();
  }

  /** Stops accepting, then stops the event loops (which closes the remaining connections). */
  public void close(Duration timeout) {
    serverChannel.close().awaitUninterruptibly(timeout.toMillis());
    boss.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    // A short quiet period lets the Kick frames and closes queued just before go out.
    workers.shutdownGracefully(100, timeout.toMillis(), TimeUnit.MILLISECONDS);
    boss.terminationFuture().awaitUninterruptibly(timeout.toMillis());
    if (!workers.terminationFuture().awaitUninterruptibly(timeout.toMillis())) {
      log.warn("client event loops did not stop within {}", timeout);
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
