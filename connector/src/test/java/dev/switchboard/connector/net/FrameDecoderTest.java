package dev.switchboard.connector.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connector.testing.Wire;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Ping;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  private static final int MAX = 1_024;

  private final RecordingAllocator allocator = new RecordingAllocator();
  private EmbeddedChannel channel;

  @BeforeEach
  void setUp() {
    channel = new EmbeddedChannel();
    channel.config().setAllocator(allocator);
    channel.pipeline().addLast(new FrameDecoder(MAX));
  }

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
  }

  @Test
  void frameFedByteByByte_isDecodedOnceComplete() {
    Frame frame = chat("hello, fragmented world", 7);
    byte[] bytes = Wire.bytes(frame);

    for (int i = 0; i < bytes.length - 1; i++) {
      channel.writeInbound(Wire.buffer(new byte[] {bytes[i]}));
      assertThat((Object) channel.readInbound()).as("after %d bytes", i + 1).isNull();
    }
    channel.writeInbound(Wire.buffer(new byte[] {bytes[bytes.length - 1]}));

    assertThat((Frame) channel.readInbound()).isEqualTo(frame);
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void lengthPrefixSplitAcrossReads_isDecoded() {
    Frame frame = chat("x".repeat(300), 1); // two-byte length prefix
    byte[] bytes = Wire.bytes(frame);

    channel.writeInbound(Wire.buffer(slice(bytes, 0, 1)));
    channel.writeInbound(Wire.buffer(slice(bytes, 1, bytes.length)));

    assertThat((Frame) channel.readInbound()).isEqualTo(frame);
  }

  @Test
  void severalFramesInOneBuffer_areAllDecodedInOrder() {
    Frame first = chat("one", 1);
    Frame second =
        Frame.newBuilder().setRequestId(2).setPing(Ping.newBuilder().setTimeMs(5)).build();
    Frame third = chat("three", 3);
    byte[] all = Wire.bytes(first, second, third);
    // the third one split across two reads as well
    channel.writeInbound(Wire.buffer(slice(all, 0, all.length - 2)));
    channel.writeInbound(Wire.buffer(slice(all, all.length - 2, all.length)));

    assertThat(readAll()).containsExactly(first, second, third);
  }

  @Test
  void emptyFrame_isDecodedAsFrameWithoutBody() {
    channel.writeInbound(Wire.buffer(new byte[] {0}));

    Frame frame = channel.readInbound();
    assertThat(frame.getBodyCase()).isEqualTo(Frame.BodyCase.BODY_NOT_SET);
  }

  @Test
  void frameOfExactlyTheMaximum_isAccepted() {
    Frame frame = sized(MAX);
    assertThat(frame.getSerializedSize()).isEqualTo(MAX);

    channel.writeInbound(Wire.buffer(Wire.bytes(frame)));

    assertThat((Frame) channel.readInbound()).isEqualTo(frame);
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void oversizedLengthPrefix_getsFrameTooLargeAndIsClosed_withoutBufferingTheBody() {
    // Announces 100 MB; only the prefix and a little of the body ever arrive.
    byte[] prefix = Wire.varint(100_000_000);
    channel.writeInbound(Wire.buffer(concat(prefix, new byte[200])));

    assertError(ErrorCode.FRAME_TOO_LARGE);
    assertThat(channel.isOpen()).isFalse();
    assertThat((Object) channel.readInbound()).isNull();
    assertThat(allocator.largestRequest.get()).isLessThan(4_096);
  }

  @Test
  void lengthPrefixOneAboveTheMaximum_failsOnThePrefixAlone() {
    channel.writeInbound(Wire.buffer(Wire.varint(MAX + 1)));

    assertError(ErrorCode.FRAME_TOO_LARGE);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void maximalFiveByteLengthPrefix_isTooLarge() {
    channel.writeInbound(
        Wire.buffer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}));

    assertError(ErrorCode.FRAME_TOO_LARGE);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void varintLongerThanFiveBytes_getsMalformedFrameAndIsClosed() {
    channel.writeInbound(
        Wire.buffer(
            new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}));

    assertError(ErrorCode.MALFORMED_FRAME);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void malformedVarintFedByteByByte_failsOnTheFifthByte() {
    for (int i = 0; i < 4; i++) {
      channel.writeInbound(Wire.buffer(new byte[] {(byte) 0x80}));
      assertThat(channel.isOpen()).isTrue();
    }
    channel.writeInbound(Wire.buffer(new byte[] {(byte) 0x80}));

    assertError(ErrorCode.MALFORMED_FRAME);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void bodyThatIsNotAFrame_getsMalformedFrameAndIsClosed() {
    // Length 4, then bytes that end in the middle of a tag: not a protobuf message.
    channel.writeInbound(
        Wire.buffer(new byte[] {4, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));

    assertError(ErrorCode.MALFORMED_FRAME);
    assertThat(channel.isOpen()).isFalse();
    assertThat((Object) channel.readInbound()).isNull();
  }

  @Test
  void framesAfterAFailure_areDropped() {
    Frame good = chat("ok", 1);
    channel.writeInbound(
        Wire.buffer(
            concat(Wire.bytes(good), new byte[] {2, (byte) 0xFF, (byte) 0xFF}, Wire.bytes(good))));

    assertThat(readAll()).containsExactly(good);
    assertError(ErrorCode.MALFORMED_FRAME);
    assertThat(channel.isOpen()).isFalse();
  }

  private void assertError(ErrorCode code) {
    Frame out = channel.readOutbound();
    assertThat(out).as("error frame written").isNotNull();
    assertThat(out.getError().getCode()).isEqualTo(code);
    assertThat(out.getError().getMessage()).isNotEmpty();
  }

  private List<Frame> readAll() {
    List<Frame> frames = new ArrayList<>();
    for (Frame f = channel.readInbound(); f != null; f = channel.readInbound()) {
      frames.add(f);
    }
    return frames;
  }

  private static Frame chat(String body, long requestId) {
    return Frame.newBuilder()
        .setRequestId(requestId)
        .setChatMsg(
            ChatMsg.newBuilder().setClientMsgId("c" + requestId).setDestId(2).setMsgBody(body))
        .build();
  }

  /** A frame whose serialized size is exactly {@code size}. */
  private static Frame sized(int size) {
    Frame empty = Frame.newBuilder().setChatMsg(ChatMsg.newBuilder().setMsgBody("")).build();
    int body = size - empty.getSerializedSize();
    Frame frame = empty;
    for (int i = 0; i < 3 && frame.getSerializedSize() != size; i++) {
      frame =
          Frame.newBuilder().setChatMsg(ChatMsg.newBuilder().setMsgBody("b".repeat(body))).build();
      body -= frame.getSerializedSize() - size;
    }
    return frame;
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    byte[] part = new byte[to - from];
    System.arraycopy(bytes, from, part, 0, part.length);
    return part;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  /** Remembers the largest buffer anyone asked for, to prove nothing sized by the prefix. */
  private static final class RecordingAllocator extends AbstractByteBufAllocator {
    final AtomicInteger largestRequest = new AtomicInteger();

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      largestRequest.accumulateAndGet(initialCapacity, Math::max);
      return Unpooled.buffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      largestRequest.accumulateAndGet(initialCapacity, Math::max);
      return Unpooled.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }
}
