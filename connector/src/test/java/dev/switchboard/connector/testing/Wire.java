package dev.switchboard.connector.testing;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.proto.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Client-side framing for tests: varint32 length + Frame, as a real client writes it. */
public final class Wire {
  private Wire() {}

  public static byte[] bytes(Frame... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (Frame frame : frames) {
        frame.writeDelimitedTo(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] varint(long value) {
    byte[] buffer = new byte[10];
    CodedOutputStream out = CodedOutputStream.newInstance(buffer);
    try {
      out.writeUInt64NoTag(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] result = new byte[out.getTotalBytesWritten()];
    System.arraycopy(buffer, 0, result, 0, result.length);
    return result;
  }

  public static ByteBuf buffer(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  /** Parses (and releases) an outbound buffer holding one or more length-prefixed frames. */
  public static List<Frame> parse(ByteBuf buffer) {
    try {
      byte[] bytes = ByteBufUtil.getBytes(buffer);
      List<Frame> frames = new ArrayList<>();
      com.google.protobuf.CodedInputStream in =
          com.google.protobuf.CodedInputStream.newInstance(bytes);
      while (!in.isAtEnd()) {
        int length = in.readRawVarint32();
        int limit = in.pushLimit(length);
        frames.add(Frame.parseFrom(in));
        in.popLimit(limit);
      }
      return frames;
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the server wrote bytes that are not frames", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      buffer.release();
    }
  }
}
