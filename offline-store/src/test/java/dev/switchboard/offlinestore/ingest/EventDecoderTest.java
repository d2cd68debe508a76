package dev.switchboard.offlinestore.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.MessageEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
  private final EventDecoder decoder = new EventDecoder();

  private static final ChatMsg CHAT =
      ChatMsg.newBuilder()
          .setId(11)
          .setClientMsgId("c-1")
          .setFromId(1)
          .setDestId(2)
          .setConversationId("s_1_2")
          .setConversationType(ConversationType.SINGLE)
          .setContentType(ContentType.TEXT)
          .setMsgBody("hi")
          .setSeq(1)
          .setSentAtMs(1_000)
          .build();

  private static final AckMsg ACK =
      AckMsg.newBuilder()
          .setId(12)
          .setFromId(2)
          .setDestId(1)
          .setMsgType(MsgType.DELIVERED)
          .setAckMsgId(11)
          .setConversationId("s_1_2")
          .setSeq(1)
          .setSentAtMs(1_001)
          .build();

  private static byte[] event(ChatMsg chat) {
    return MessageEvent.newBuilder().setChat(chat).build().toByteArray();
  }

  private static byte[] event(AckMsg ack) {
    return MessageEvent.newBuilder().setAck(ack).build().toByteArray();
  }

  @Test
  void chatAsTransferWritesIt_isAChat() {
    assertThat(decoder.decode(event(CHAT))).isEqualTo(new LogEvent.Chat(CHAT));
  }

  @Test
  void deliveredReceipt_isAReceipt() {
    assertThat(decoder.decode(event(ACK))).isEqualTo(new LogEvent.Receipt(ACK));
  }

  @Test
  void garbageAndTombstones_areInvalid() {
    assertThat(decoder.decode("\u00ff\u00fe garbage".getBytes(StandardCharsets.ISO_8859_1)))
        .isInstanceOf(LogEvent.Invalid.class);
    assertThat(decoder.decode(null)).isInstanceOf(LogEvent.Invalid.class);
  }

  @Test
  void eventOfAnUnknownKind_isUnknownNotInvalid() {
    assertThat(decoder.decode(new byte[0])).isInstanceOf(LogEvent.Unknown.class);
  }

  @Test
  void chatsThatCannotBeStored_areInvalid() {
    for (ChatMsg bad :
        new ChatMsg[] {
          CHAT.toBuilder().setId(0).build(),
          CHAT.toBuilder().setSeq(0).build(),
          CHAT.toBuilder().setFromId(0).build(),
          CHAT.toBuilder().setDestId(0).build(),
          CHAT.toBuilder().setConversationId("").build(),
          CHAT.toBuilder().setConversationId("s_1_2 ").build(),
          CHAT.toBuilder().setConversationId("s_" + "9".repeat(80)).build(),
          CHAT.toBuilder().setConversationId("s_1_\u00e9").build(),
          CHAT.toBuilder().setSentAtMs(-1).build(),
          CHAT.toBuilder().setContentTypeValue(300).build()
        }) {
      assertThat(decoder.decode(event(bad)))
          .as(bad.toString())
          .isInstanceOf(LogEvent.Invalid.class);
    }
  }

  @Test
  void groupChatWithoutDestination_isAChat() {
    ChatMsg group =
        CHAT.toBuilder()
            .setConversationType(ConversationType.GROUP)
            .setDestId(0)
            .setConversationId("g_77")
            .build();

    assertThat(decoder.decode(event(group))).isEqualTo(new LogEvent.Chat(group));
  }

  @Test
  void receiptsThatCannotBeStored_areInvalid() {
    for (AckMsg bad :
        new AckMsg[] {
          ACK.toBuilder().setId(0).build(),
          ACK.toBuilder().setMsgType(MsgType.SENT).build(),
          ACK.toBuilder().setDestId(0).build(),
          ACK.toBuilder().setConversationId("").build(),
          ACK.toBuilder().setSeq(-1).build()
        }) {
      assertThat(decoder.decode(event(bad)))
          .as(bad.toString())
          .isInstanceOf(LogEvent.Invalid.class);
    }
  }
}
