package dev.switchboard.bench.jmh;

import dev.switchboard.connector.net.FrameDecoder;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The connector's frame codec on a chat message: the inbound decoder (varint prefix with a size
 * limit, then protobuf parse) and the outbound encoder pair, each on an {@link EmbeddedChannel} as
 * in the connector's pipeline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
  @Param({"100", "1000"})
  int bodyBytes;

  private Frame frame;
  private ByteBuf wire;
  private EmbeddedChannel decoder;
  private EmbeddedChannel encoder;

  @Setup(Level.Trial)
  public void setUp() {
    frame =
        Frame.newBuilder()
            .setRequestId(42)
            .setChatMsg(
                ChatMsg.newBuilder()
                    .setClientMsgId("bench-0123abcd-17-123456")
                    .setDestId(100_000_123)
                    .setConversationType(ConversationType.SINGLE)
                    .setContentType(ContentType.TEXT)
                    .setMsgBody("x".repeat(bodyBytes)))
            .build();
    decoder = new EmbeddedChannel(new FrameDecoder(64 * 1024));
    encoder =
        new EmbeddedChannel(new ProtobufVarint32LengthFieldPrepender(), new ProtobufEncoder());
    encoder.writeOutbound(frame);
    ByteBuf prefix = encoder.readOutbound();
    ByteBuf body = encoder.readOutbound();
    wire = PooledByteBufAllocator.DEFAULT.directBuffer();
    if (body == null) {
      wire.writeBytes(prefix);
    } else {
      wire.writeBytes(prefix).writeBytes(body);
      body.release();
    }
    prefix.release();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    wire.release();
    decoder.finishAndReleaseAll();
    encoder.finishAndReleaseAll();
  }

  @Benchmark
  public Object decode() {
    decoder.writeInbound(wire.retainedDuplicate());
    return decoder.readInbound();
  }

  @Benchmark
  public int encode() {
    encoder.writeOutbound(frame);
    int bytes = 0;
    for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
      bytes += b.readableBytes();
      b.release();
    }
    return bytes;
  }
}
