package dev.switchboard.transfer.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.FileRef;
import org.junit.jupiter.api.Test;

class ChatValidatorTest {
  private final ChatValidator validator = new ChatValidator();

  private static ChatMsg.Builder valid() {
    return ChatMsg.newBuilder()
        .setClientMsgId("c-1")
        .setFromId(42)
        .setFromDeviceId("phone")
        .setDestId(7)
        .setMsgBody("hello");
  }

  private Refusal refusalOf(ChatMsg.Builder msg) {
    return validator.check(msg.build()).refusal();
  }

  @Test
  void validText_isNormalizedWithDefaultsAndConversationId() {
    ChatMsg checked = validator.check(valid().build()).message();
    assertThat(checked.getConversationType()).isEqualTo(ConversationType.SINGLE);
    assertThat(checked.getContentType()).isEqualTo(ContentType.TEXT);
    assertThat(checked.getConversationId()).isEqualTo("s_7_42");
  }

  @Test
  void serverOwnedFields_areDroppedWhateverTheClientWrote() {
    ChatMsg checked =
        validator
            .check(
                valid()
                    .setId(99)
                    .setSeq(5)
                    .setSentAtMs(1)
                    .setConversationId("s_1_2")
                    .setFile(FileRef.newBuilder().setFileId("f"))
                    .build())
            .message();
    assertThat(checked.getId()).isZero();
    assertThat(checked.getSeq()).isZero();
    assertThat(checked.getSentAtMs()).isZero();
    assertThat(checked.getConversationId()).isEqualTo("s_7_42");
    assertThat(checked.hasFile()).isFalse();
  }

  @Test
  void emptyClientMsgId_isInvalid() {
    assertThat(refusalOf(valid().setClientMsgId("")).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
  }

  @Test
  void clientMsgIdOf64Chars_isAcceptedAnd65_isInvalid() {
    assertThat(refusalOf(valid().setClientMsgId("x".repeat(64)))).isNull();
    Refusal tooLong = refusalOf(valid().setClientMsgId("x".repeat(65)));
    assertThat(tooLong.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(tooLong.message()).contains("client_msg_id");
  }

  @Test
  void clientMsgId_isCountedInCharactersNotUtf16Units() {
    // 64 emoji are 128 UTF-16 units but 64 characters, as MySQL's VARCHAR(64) counts them.
    assertThat(refusalOf(valid().setClientMsgId("😀".repeat(64)))).isNull();
  }

  @Test
  void missingDestination_isInvalid() {
    assertThat(refusalOf(valid().setDestId(0)).message()).contains("dest_id");
    assertThat(refusalOf(valid().setDestId(-3)).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
  }

  @Test
  void missingSender_isInvalid() {
    assertThat(refusalOf(valid().setFromId(0)).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
  }

  @Test
  void groupConversation_isUnsupportedForNow() {
    assertThat(refusalOf(valid().setConversationType(ConversationType.GROUP)).code())
        .isEqualTo(ErrorCode.UNSUPPORTED);
  }

  @Test
  void unknownEnumValues_areInvalid() {
    assertThat(refusalOf(valid().setConversationTypeValue(77)).code())
        .isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(refusalOf(valid().setContentTypeValue(77)).code())
        .isEqualTo(ErrorCode.INVALID_MESSAGE);
  }

  @Test
  void textOf16KiB_isAcceptedAndOneByteMore_isInvalid() {
    assertThat(refusalOf(valid().setMsgBody("a".repeat(16 * 1024)))).isNull();
    Refusal tooLong = refusalOf(valid().setMsgBody("a".repeat(16 * 1024 + 1)));
    assertThat(tooLong.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(tooLong.message()).contains("16385 bytes");
  }

  @Test
  void textLimit_countsUtf8Bytes() {
    // 6000 three-byte characters: 18000 bytes, over the limit although only 6000 chars.
    assertThat(refusalOf(valid().setMsgBody("€".repeat(6_000))).code())
        .isEqualTo(ErrorCode.INVALID_MESSAGE);
  }

  @Test
  void emptyText_isInvalid() {
    assertThat(refusalOf(valid().setMsgBody("")).message()).contains("msg_body");
  }

  @Test
  void fileWithoutRef_isInvalid() {
    assertThat(refusalOf(valid().setContentType(ContentType.FILE)).message()).contains("file");
  }

  @Test
  void fileWithRef_isAccepted() {
    ChatMsg file =
        valid()
            .setContentType(ContentType.FILE)
            .setMsgBody("")
            .setFile(FileRef.newBuilder().setFileId("f-1").setName("a.png").setSize(10))
            .build();
    ChatValidator.Checked checked = validator.check(file);
    assertThat(checked.refusal()).isNull();
    assertThat(checked.message().getFile().getFileId()).isEqualTo("f-1");
  }

  @Test
  void recall_isUnsupportedForNow() {
    assertThat(refusalOf(valid().setContentType(ContentType.RECALL)).code())
        .isEqualTo(ErrorCode.UNSUPPORTED);
  }
}
