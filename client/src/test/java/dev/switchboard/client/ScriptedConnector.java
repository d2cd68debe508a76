package dev.switchboard.client;

import dev.switchboard.client.net.NettyTransport;
import dev.switchboard.client.net.VarintFrameDecoder;
import dev.switchboard.client.rest.ConnectorAddress;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginResp;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A connector stand-in for the SDK's unit tests: speaks the wire protocol over real TCP, records
 * every frame it receives and sends whatever the test scripts. The real connector is exercised by
 * the lead's system tests; this one lets the tests provoke what a real one rarely does
 * (redeliveries, reordering, silence, refusals) on demand.
 */
public final class ScriptedConnector implements AutoCloseable {

  public static final long USER_ID = 1001;

  private final Channel server;
  private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
  private volatile Channel client;

  /** How LoginReq is answered; default: ok with a 30s heartbeat. null: no answer. */
  private volatile Function<Frame, Frame[]> loginAnswer =
      req ->
          new Frame[] {
            Frame.newBuilder()
                .setRequestId(req.getRequestId())
                .setLoginResp(
                    LoginResp.newBuilder()
                        .setOk(true)
                        .setUserId(USER_ID)
                        .setConnectorId("conn-test")
                        .setHeartbeatIntervalSeconds(30))
                .build()
          };

  /** How other frames are answered; default: not at all. */
  private volatile Function<Frame, Frame[]> otherAnswer;

  public ScriptedConnector(EventLoopGroup group) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(
                NettyTransport.socketChannelFor(group) == EpollSocketChannel.class
                    ? EpollServerSocketChannel.class
                    : NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new VarintFrameDecoder(1 << 20))
                        .addLast(new ProtobufDecoder(Frame.getDefaultInstance()))
                        .addLast(new ProtobufVarint32LengthFieldPrepender())
                        .addLast(new ProtobufEncoder())
                        .addLast(
                            new SimpleChannelInboundHandler<Frame>() {
                              @Override
                              public void channelActive(ChannelHandlerContext ctx) {
                                client = ctx.channel();
                              }

                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
                                received.add(f);
                                Function<Frame, Frame[]> answer =
                                    f.hasLoginReq() ? loginAnswer : otherAnswer;
                                if (answer != null) {
                                  for (Frame reply : answer.apply(f)) {
                                    ctx.writeAndFlush(reply);
                                  }
                                }
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  public void answerLoginWith(Function<Frame, Frame[]> answer) {
    this.loginAnswer = answer;
  }

  /** Answers every frame other than LoginReq with what {@code answer} returns. */
  public void answerOthersWith(Function<Frame, Frame[]> answer) {
    this.otherAnswer = answer;
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  public LoginSession session() {
    return new LoginSession(
        USER_ID,
        "test-token",
        Instant.now().plusSeconds(3600),
        new ConnectorAddress("conn-test", "127.0.0.1", port()));
  }

  /** The next frame the client sent, skipping heartbeat pings unless asked for. */
  public Frame next() throws InterruptedException {
    while (true) {
      Frame f = received.poll(5, TimeUnit.SECONDS);
      if (f == null) {
        throw new AssertionError("the client sent no frame within 5s");
      }
      if (!f.hasPing()) {
        return f;
      }
    }
  }

  /** The next frame the client sent that {@code wanted} accepts, skipping the others. */
  public Frame next(Predicate<Frame> wanted) throws InterruptedException {
    while (true) {
      Frame f = next();
      if (wanted.test(f)) {
        return f;
      }
    }
  }

  /** Every frame (pings excluded) the client sends within {@code millis}. */
  public List<Frame> drain(long millis) throws InterruptedException {
    List<Frame> frames = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      Frame f = received.poll(left, TimeUnit.NANOSECONDS);
      if (f != null && !f.hasPing()) {
        frames.add(f);
      }
    }
    return frames;
  }

  /** The next frame including pings, or null after {@code millis}. */
  public Frame poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  public void send(Frame frame) {
    client.writeAndFlush(frame).syncUninterruptibly();
  }

  public void dropClient() {
    client.close().syncUninterruptibly();
  }

  /**
   * Stops listening, then drops the client: in the other order, a client reconnecting at once could
   * be accepted by the closing connector in between and log in there again.
   */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    if (client != null) {
      client.close().syncUninterruptibly();
    }
  }
}
