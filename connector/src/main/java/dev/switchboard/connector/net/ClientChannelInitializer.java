package dev.switchboard.connector.net;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.codec.protobuf.ProtobufVarint32LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a client connection, head (socket) to tail:
 *
 * <pre>
 *  socket
 *    |  flush-consolidation   out   batches flushes of one read burst into one syscall
 *    |  idle-state            in    fires READER_IDLE after the idle timeout
 *    |  frame-prepender       out   ByteBuf -> varint32 length + ByteBuf
 *    |  protobuf-encoder      out   Frame -> ByteBuf
 *    |  frame-decoder         in    bytes -> Frame (size limit on the prefix, errors close)
 *    |  frame-metrics         both  counts frames in/out and error codes
 *    |  idle-close            in    READER_IDLE -> close
 *    |  login                 in    LoginReq -> session; replaced by "session" after login
 *    |  (session)             in    Ping, ChatMsg, AckMsg, ... of a logged-in connection
 *    v  exception-close       in    any exception -> close
 * </pre>
 */
public final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
  public static final String FLUSH_CONSOLIDATION = "flush-consolidation";
  public static final String IDLE_STATE = "idle-state";
  public static final String FRAME_PREPENDER = "frame-prepender";
  public static final String PROTOBUF_ENCODER = "protobuf-encoder";
  public static final String FRAME_DECODER = "frame-decoder";
  public static final String FRAME_METRICS = "frame-metrics";
  public static final String IDLE_CLOSE = "idle-close";
  public static final String LOGIN = "login";
  public static final String SESSION = "session";
  public static final String EXCEPTION_CLOSE = "exception-close";

  /** Flushes coalesced at most: enough to batch a burst, few enough to keep latency low. */
  private static final int EXPLICIT_FLUSHES_BEFORE_FLUSH = 256;

  private final ClientSettings settings;
  private final ClientServices services;
  // Stateless handlers, shared by every connection.
  private final ProtobufVarint32LengthFieldPrepender prepender =
      new ProtobufVarint32LengthFieldPrepender();
  private final ProtobufEncoder encoder = new ProtobufEncoder();
  private final FrameMetricsHandler frameMetrics;
  private final IdleCloseHandler idleClose = new IdleCloseHandler();
  private final ExceptionCloseHandler exceptionClose = new ExceptionCloseHandler();

  public ClientChannelInitializer(ClientSettings settings, ClientServices services) {
    this.settings = settings;
    this.services = services;
    this.frameMetrics = new FrameMetricsHandler(services.metrics());
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    configure(channel.pipeline());
  }

  /** Builds the pipeline; also used by tests on an EmbeddedChannel. */
  public void configure(ChannelPipeline pipeline) {
    pipeline
        .addLast(
            FLUSH_CONSOLIDATION, new FlushConsolidationHandler(EXPLICIT_FLUSHES_BEFORE_FLUSH, true))
        .addLast(
            IDLE_STATE,
            new IdleStateHandler(
                false, settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast(FRAME_PREPENDER, prepender)
        .addLast(PROTOBUF_ENCODER, encoder)
        .addLast(FRAME_DECODER, new FrameDecoder(settings.maxFrameBytes()))
        .addLast(FRAME_METRICS, frameMetrics)
        .addLast(IDLE_CLOSE, idleClose)
        .addLast(LOGIN, new LoginHandler(settings, services))
        .addLast(EXCEPTION_CLOSE, exceptionClose);
  }
}
