package dev.switchboard.client.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits the byte stream into frames prefixed by a base-128 varint length (protobuf's {@code
 * writeDelimitedTo} framing), like Netty's {@code ProtobufVarint32FrameDecoder} but with a maximum
 * frame size: a peer announcing a larger frame fails the connection with {@link
 * TooLongFrameException} instead of making us buffer it.
 */
public final class VarintFrameDecoder extends ByteToMessageDecoder {

  private final int maxFrameBytes;

  public VarintFrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 1, got " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int start = in.readerIndex();
      long length = readVarint(in);
      if (length < 0) {
        in.readerIndex(start); // prefix incomplete: wait for more bytes
        return;
      }
      if (length > maxFrameBytes) {
        in.skipBytes(in.readableBytes());
        throw new TooLongFrameException(
            "frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
      }
      if (in.readableBytes() < length) {
        in.readerIndex(start); // body incomplete
        return;
      }
      out.add(in.readRetainedSlice((int) length));
    }
  }

  /** The varint at the reader index, or -1 if it is not complete yet. */
  private static long readVarint(ByteBuf in) {
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (!in.isReadable()) {
        return -1;
      }
      byte b = in.readByte();
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new CorruptedFrameException("length prefix longer than 5 bytes");
  }
}
