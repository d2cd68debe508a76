package dev.switchboard.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginResp;
import dev.switchboard.proto.Ping;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  private final List<Frame> received = new ArrayList<>();
  private final List<Throwable> failures = new ArrayList<>();
  private EmbeddedChannel channel;

  private EmbeddedChannel channel(int maxFrameBytes) {
    FrameHandler handler =
        new FrameHandler(
            new FrameHandler.Events() {
              @Override
              public void onActive() {}

              @Override
              public void onFrame(Frame frame) {
                received.add(frame);
              }

              @Override
              public void onReadIdle() {}

              @Override
              public void onFailure(Throwable cause) {
                failures.add(cause);
              }

              @Override
              public void onInactive() {}
            });
    channel = new EmbeddedChannel();
    ClientChannelInitializer.configure(channel.pipeline(), maxFrameBytes, handler);
    return channel;
  }

  @AfterEach
  void finish() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  private static byte[] delimited(Frame... frames) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame f : frames) {
      f.writeDelimitedTo(out); // exactly what the connector writes
    }
    return out.toByteArray();
  }

  private static Frame chat(int bodyBytes, long seq) {
    return Frame.newBuilder()
        .setRequestId(seq)
        .setChatMsg(
            ChatMsg.newBuilder()
                .setId(1000 + seq)
                .setSeq(seq)
                .setConversationId("s_1_2")
                .setMsgBody("x".repeat(bodyBytes)))
        .build();
  }

  @Test
  void framesSplitIntoFragments_areReassembled() throws IOException {
    EmbeddedChannel ch = channel(1 << 20);
    Frame a = chat(10, 1);
    Frame b = chat(300, 2); // two-byte length prefix
    Frame c = Frame.newBuilder().setPing(Ping.newBuilder().setTimeMs(42)).build();
    byte[] bytes = delimited(a, b, c);

    for (int chunk : new int[] {1, 2, 3, 7, 64}) {
      received.clear();
      for (int i = 0; i < bytes.length; i += chunk) {
        int n = Math.min(chunk, bytes.length - i);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, n));
      }
      assertThat(received).as("chunks of %d bytes", chunk).containsExactly(a, b, c);
    }
  }

  @Test
  void severalFramesInOneBuffer_areAllDecoded() throws IOException {
    EmbeddedChannel ch = channel(1 << 20);
    Frame login = Frame.newBuilder().setLoginResp(LoginResp.newBuilder().setOk(true)).build();
    ch.writeInbound(Unpooled.wrappedBuffer(delimited(login, chat(5, 1), chat(5, 2))));
    assertThat(received).hasSize(3).first().isEqualTo(login);
  }

  @Test
  void outboundFrame_isWrittenVarintDelimited_andParsesBack() throws IOException {
    EmbeddedChannel ch = channel(1 << 20);
    Frame frame = chat(200, 9);
    ch.writeOutbound(frame);

    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ByteBuf out;
    while ((out = ch.readOutbound()) != null) {
      byte[] part = new byte[out.readableBytes()];
      out.readBytes(part);
      wire.write(part);
      out.release();
    }
    byte[] bytes = wire.toByteArray();
    assertThat(Frame.parseDelimitedFrom(new java.io.ByteArrayInputStream(bytes))).isEqualTo(frame);

    // And our own decoder reads what our encoder wrote.
    ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    assertThat(received).containsExactly(frame);
  }

  @Test
  void frameLargerThanTheMaximum_failsTheChannel_withoutBufferingIt() throws IOException {
    EmbeddedChannel ch = channel(100);
    byte[] prefix = new byte[5];
    CodedOutputStream cos = CodedOutputStream.newInstance(prefix);
    cos.writeUInt32NoTag(1_000_000);
    cos.flush();

    ch.writeInbound(
        Unpooled.wrappedBuffer(prefix, 0, CodedOutputStream.computeUInt32SizeNoTag(1_000_000)));

    assertThat(failures).singleElement().isInstanceOf(TooLongFrameException.class);
    assertThat(ch.isOpen()).isFalse();
    assertThat(received).isEmpty();
  }

  @Test
  void frameExactlyAtTheMaximum_isAccepted() throws IOException {
    Frame frame = chat(50, 1);
    EmbeddedChannel ch = channel(frame.getSerializedSize());
    ch.writeInbound(Unpooled.wrappedBuffer(delimited(frame)));
    assertThat(received).containsExactly(frame);
  }

  @Test
  void garbageBytes_failTheChannel() {
    EmbeddedChannel ch = channel(1 << 20);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {3, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
    assertThat(failures).singleElement().isInstanceOf(DecoderException.class);
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void lengthPrefixLongerThanFiveBytes_isCorrupt() {
    VarintFrameDecoder decoder = new VarintFrameDecoder(100);
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    byte[] bad = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
    assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bad)))
        .isInstanceOf(DecoderException.class);
    ch.finishAndReleaseAll();
  }
}
