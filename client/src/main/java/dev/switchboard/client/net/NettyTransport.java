package dev.switchboard.client.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Chooses the Netty transport: native epoll when the library is usable (Linux), NIO otherwise. One
 * group serves any number of clients; the benchmark shares one across thousands of them.
 */
public final class NettyTransport {

  private NettyTransport() {}

  /** A new event loop group of {@code threads} daemon threads (epoll if available, else NIO). */
  public static EventLoopGroup newEventLoopGroup(int threads, String threadNamePrefix) {
    DefaultThreadFactory threadFactory = new DefaultThreadFactory(threadNamePrefix, true);
    return new MultiThreadIoEventLoopGroup(
        threads,
        threadFactory,
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /** The socket channel class that can be registered with {@code group}. */
  public static Class<? extends SocketChannel> socketChannelFor(EventLoopGroup group) {
    if (group instanceof IoEventLoopGroup io
        && Epoll.isAvailable()
        && io.isIoType(EpollIoHandler.class)) {
      return EpollSocketChannel.class;
    }
    return NioSocketChannel.class;
  }
}
