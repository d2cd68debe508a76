package dev.switchboard.connector.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * Native epoll on Linux (fewer copies and wake-ups, edge-triggered), NIO where the native library
 * cannot be loaded.
 */
public record ClientTransport(
    String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel) {

  public static ClientTransport best() {
    if (Epoll.isAvailable()) {
      return new ClientTransport(
          "epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }
    return nio();
  }

  public static ClientTransport nio() {
    return new ClientTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }

  /** {@code threads} 0 = Netty's default (twice the cores). */
  public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory);
  }
}
