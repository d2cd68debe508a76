package dev.switchboard.bench.relay;

import dev.switchboard.client.net.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The baseline's server: a minimal in-process Netty relay that speaks the client protocol (same
 * varint framing, same protobuf frames) and does only what a relay must — log a connection in, give
 * each message an id and a per-conversation seq, answer SENT, push it to the recipient's
 * connection, pass receipts on. No durability, no discovery, no second hop: what the same load
 * generator gets from it is the transport ceiling of this machine, the figure the real system's run
 * is divided by.
 */
public final class RelayServer implements AutoCloseable {
  private static final int MAX_FRAME_BYTES = 64 * 1024;

  private final EventLoopGroup group;
  private final Channel channel;

  private RelayServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /** Listens on 127.0.0.1 (free port) with {@code threads} event loops. */
  public static RelayServer start(int threads) throws InterruptedException {
    EventLoopGroup group = NettyTransport.newEventLoopGroup(threads, "bench-relay");
    RelayState state = new RelayState();
    ProtobufVarint32LengthFieldPrepender prepender = new ProtobufVarint32LengthFieldPrepender();
    ProtobufEncoder encoder = new ProtobufEncoder();
    Channel channel =
        new ServerBootstrap()
            .group(group)
            .channel(serverChannelFor(group))
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    // The connector's flush batching, so the baseline is not handicapped.
                    ch.pipeline()
                        .addLast(new FlushConsolidationHandler(256, true))
                        .addLast(prepender)
                        .addLast(encoder)
                        .addLast(new dev.switchboard.client.net.VarintFrameDecoder(MAX_FRAME_BYTES))
                        .addLast(
                            new ProtobufDecoder(dev.switchboard.proto.Frame.getDefaultInstance()))
                        .addLast(new RelayHandler(state));
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    return new RelayServer(group, channel);
  }

  private static Class<? extends ServerChannel> serverChannelFor(EventLoopGroup group) {
    if (group instanceof IoEventLoopGroup io
        && Epoll.isAvailable()
        && io.isIoType(EpollIoHandler.class)) {
      return EpollServerSocketChannel.class;
    }
    return NioServerSocketChannel.class;
  }

  /** The token a client logs in to the relay with, as user {@code userId}. */
  public static String tokenFor(long userId) {
    return RelayHandler.token(userId);
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
