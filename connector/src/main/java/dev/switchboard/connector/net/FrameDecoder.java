package dev.switchboard.connector.net;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.connector.session.Frames;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into {@link Frame}s, each prefixed by its length as a base-128 varint
 * (protobuf's {@code writeDelimitedTo} framing), and parses them.
 *
 * <p>It decides on the length prefix alone, before any of the body is buffered: a prefix above
 * {@code maxFrameBytes} is answered with Error{FRAME_TOO_LARGE} and the connection is closed, so a
 * client cannot make the server hold (or allocate) more than one maximum frame. A prefix longer
 * than the five bytes a varint32 can take, or a body that is not a Frame, gets
 * Error{MALFORMED_FRAME}. After a failure every further byte is dropped until the close completes.
 *
 * <p>Netty's {@code ProtobufVarint32FrameDecoder} is not used because it has no size limit: it
 * waits for (and accumulates) whatever length the prefix announces.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
  static final int MAX_VARINT32_BYTES = 5;
  private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

  private final int maxFrameBytes;
  private boolean failed;

  public FrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    int readable = in.readableBytes();
    long length = 0;
    int prefixBytes = 0;
    boolean prefixComplete = false;
    while (prefixBytes < readable && prefixBytes < MAX_VARINT32_BYTES) {
      byte b = in.getByte(start + prefixBytes);
      length |= (long) (b & 0x7F) << (7 * prefixBytes);
      prefixBytes++;
      if (b >= 0) {
        prefixComplete = true;
        break;
      }
    }
    if (!prefixComplete) {
      if (prefixBytes >= MAX_VARINT32_BYTES) {
        fail(ctx, in, ErrorCode.MALFORMED_FRAME, "the length prefix is not a valid varint32");
      }
      return; // wait for the rest of the prefix
    }
    if (length > maxFrameBytes) {
      fail(
          ctx,
          in,
          ErrorCode.FRAME_TOO_LARGE,
          "frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
      return;
    }
    int bodyLength = (int) length;
    if (readable - prefixBytes < bodyLength) {
      return; // wait for the rest of the body (at most maxFrameBytes)
    }
    int bodyStart = start + prefixBytes;
    Frame frame;
    try {
      frame = Frame.parseFrom(in.nioBuffer(bodyStart, bodyLength));
    } catch (InvalidProtocolBufferException e) {
      fail(ctx, in, ErrorCode.MALFORMED_FRAME, "the bytes are not a Frame");
      return;
    }
    in.readerIndex(bodyStart + bodyLength);
    out.add(frame);
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in, ErrorCode code, String message) {
    failed = true;
    in.skipBytes(in.readableBytes());
    log.debug("closing {}: {}", ctx.channel().remoteAddress(), message);
    ctx.channel().config().setAutoRead(false);
    ctx.channel()
        .writeAndFlush(Frames.error(code, message, 0))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
