package dev.switchboard.connector.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Ping;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopWritesTest {

  private static Frame frame(long requestId) {
    return Frame.newBuilder().setRequestId(requestId).setPing(Ping.newBuilder()).build();
  }

  @Test
  void eachChannelGetsItsFramesInOrder_andIsFlushedOnce() {
    List<String> flushes = Collections.synchronizedList(new ArrayList<>());
    EmbeddedChannel a = new EmbeddedChannel(flushCounter("a", flushes));
    EmbeddedChannel b = new EmbeddedChannel(flushCounter("b", flushes));
    LoopWrites writes = new LoopWrites();
    writes.add(a, frame(1));
    writes.add(b, frame(2));
    writes.add(a, frame(3));
    writes.add(a, frame(4));

    assertThat((Object) a.readOutbound()).as("nothing before dispatch").isNull();
    writes.dispatch();

    assertThat(List.of(a.<Frame>readOutbound(), a.<Frame>readOutbound(), a.<Frame>readOutbound()))
        .extracting(Frame::getRequestId)
        .containsExactly(1L, 3L, 4L);
    assertThat(b.<Frame>readOutbound().getRequestId()).isEqualTo(2);
    assertThat((Object) a.readOutbound()).isNull();
    assertThat(flushes).containsExactlyInAnyOrder("a", "b");
  }

  /** From a thread outside the loops, as a gRPC thread pushes: every frame arrives, in order. */
  @Test
  void fromAnotherThread_framesReachEveryLoopInOrder() throws Exception {
    DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    List<Long> received = new CopyOnWriteArrayList<>();
    try {
      LocalAddress address = new LocalAddress("loop-writes-" + System.nanoTime());
      Channel server =
          new ServerBootstrap()
              .group(loops)
              .channel(LocalServerChannel.class)
              .childHandler(
                  new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                      ch.pipeline()
                          .addLast(
                              new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                  received.add(((Frame) msg).getRequestId());
                                }
                              });
                    }
                  })
              .bind(address)
              .sync()
              .channel();
      List<Channel> clients = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        clients.add(
            new Bootstrap()
                .group(loops)
                .channel(LocalChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address)
                .sync()
                .channel());
      }
      Channel first = clients.get(0);
      LoopWrites writes = new LoopWrites();
      for (long id = 1; id <= 100; id++) {
        writes.add(id % 2 == 0 ? first : clients.get((int) (id % 4)), frame(id));
      }
      writes.dispatch();

      await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 100);
      assertThat(received).hasSize(100).containsExactlyInAnyOrderElementsOf(range(1, 100));
      List<Long> ofFirst = received.stream().filter(id -> id % 2 == 0).toList();
      assertThat(ofFirst).isSorted();
      clients.forEach(Channel::close);
      server.close().sync();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Connector shutdown: a loop already gone must not fail the push for the others. */
  @Test
  void aLoopThatHasShutDown_isSkipped_theOthersStillGetTheirFrames() throws Exception {
    DefaultEventLoopGroup gone = new DefaultEventLoopGroup(1);
    Channel onGone =
        new Bootstrap()
            .group(gone)
            .channel(LocalChannel.class)
            .handler(new ChannelInboundHandlerAdapter())
            .register()
            .sync()
            .channel();
    gone.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
    EmbeddedChannel alive = new EmbeddedChannel();
    LoopWrites writes = new LoopWrites();
    writes.add(onGone, frame(1));
    writes.add(alive, frame(2));

    writes.dispatch();

    assertThat(alive.<Frame>readOutbound().getRequestId()).isEqualTo(2);
  }

  private static List<Long> range(long from, long to) {
    List<Long> ids = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      ids.add(id);
    }
    return ids;
  }

  private static ChannelOutboundHandlerAdapter flushCounter(String name, List<String> flushes) {
    return new ChannelOutboundHandlerAdapter() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
      }

      @Override
      public void flush(ChannelHandlerContext ctx) {
        flushes.add(name);
        ctx.flush();
      }
    };
  }
}
