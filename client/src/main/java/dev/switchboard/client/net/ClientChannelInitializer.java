package dev.switchboard.client.net;

import dev.switchboard.proto.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The client pipeline. Inbound: varint frame split (bounded) → {@link Frame} parse → {@link
 * FrameHandler}. Outbound: {@link Frame} serialize → varint length prefix. The reader-idle stage is
 * added after login, when the heartbeat interval is known ({@link #addReadIdleTimeout}).
 */
public final class ClientChannelInitializer extends ChannelInitializer<Channel> {

  public static final String FRAME_DECODER = "frameDecoder";
  public static final String PROTOBUF_DECODER = "protobufDecoder";
  public static final String FRAME_PREPENDER = "framePrepender";
  public static final String PROTOBUF_ENCODER = "protobufEncoder";
  public static final String READ_IDLE = "readIdle";
  public static final String HANDLER = "handler";

  private final int maxFrameBytes;
  private final FrameHandler.Events events;

  public ClientChannelInitializer(int maxFrameBytes, FrameHandler.Events events) {
    this.maxFrameBytes = maxFrameBytes;
    this.events = events;
  }

  @Override
  protected void initChannel(Channel ch) {
    configure(ch.pipeline(), maxFrameBytes, new FrameHandler(events));
  }

  /** Installs the codec stages and {@code handler}; shared with the codec tests. */
  public static void configure(ChannelPipeline p, int maxFrameBytes, FrameHandler handler) {
    p.addLast(FRAME_DECODER, new VarintFrameDecoder(maxFrameBytes)); // inbound
    p.addLast(PROTOBUF_DECODER, new ProtobufDecoder(Frame.getDefaultInstance())); // inbound
    p.addLast(FRAME_PREPENDER, new ProtobufVarint32LengthFieldPrepender()); // outbound
    p.addLast(PROTOBUF_ENCODER, new ProtobufEncoder()); // outbound
    p.addLast(HANDLER, handler);
  }

  /** Makes the handler hear {@code onReadIdle} when nothing was read for {@code millis}. */
  public static void addReadIdleTimeout(ChannelPipeline p, long millis) {
    if (p.get(READ_IDLE) == null) {
      p.addBefore(HANDLER, READ_IDLE, new IdleStateHandler(millis, 0, 0, TimeUnit.MILLISECONDS));
    }
  }
}
