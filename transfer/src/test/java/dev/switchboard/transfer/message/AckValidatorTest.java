package dev.switchboard.transfer.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.AckedMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.MsgType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AckValidatorTest {
  private final AckValidator validator = new AckValidator();

  private static AckMsg.Builder delivered() {
    return AckMsg.newBuilder()
        .setMsgType(MsgType.DELIVERED)
        .setFromId(7)
        .setDestId(42)
        .setAckMsgId(123)
        .setConversationId("s_7_42")
        .setSeq(3);
  }

  private Optional<Refusal> check(AckMsg.Builder ack) {
    return validator.check(ack.build());
  }

  @Test
  void deliveredAndRead_areAccepted() {
    assertThat(check(delivered())).isEmpty();
    assertThat(check(delivered().setMsgType(MsgType.READ))).isEmpty();
  }

  @Test
  void sentOrUnspecified_isInvalid() {
    assertThat(check(delivered().setMsgType(MsgType.SENT)).orElseThrow().code())
        .isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(check(delivered().setMsgType(MsgType.MSG_TYPE_UNSPECIFIED))).isPresent();
  }

  @Test
  void missingAckedMessageId_isInvalid() {
    assertThat(check(delivered().setAckMsgId(0)).orElseThrow().message()).contains("ack_msg_id");
  }

  @Test
  void conversationOfOtherUsers_isInvalid() {
    Refusal refusal = check(delivered().setConversationId("s_7_99")).orElseThrow();
    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(refusal.message()).contains("s_7_42");
  }

  @Test
  void deliveredAcknowledgingMoreMessages_isAccepted_upToTheBound() {
    AckMsg.Builder ack = delivered();
    for (int i = 1; i <= AckValidator.MAX_ALSO_ACKED; i++) {
      ack.addAlsoAcked(AckedMsg.newBuilder().setMsgId(1000 + i).setSeq(i).setClientMsgId("c" + i));
    }
    assertThat(check(ack)).isEmpty();

    ack.addAlsoAcked(AckedMsg.newBuilder().setMsgId(5000).setSeq(300));
    assertThat(check(ack).orElseThrow().message()).contains("at most 256");
  }

  @Test
  void alsoAcked_isInvalidOnRead_orWithoutAMessageId() {
    AckedMsg acked = AckedMsg.newBuilder().setMsgId(99).setSeq(2).build();
    assertThat(check(delivered().setMsgType(MsgType.READ).addAlsoAcked(acked))).isPresent();
    assertThat(check(delivered().addAlsoAcked(acked.toBuilder().setMsgId(0)))).isPresent();
    assertThat(check(delivered().addAlsoAcked(acked.toBuilder().setSeq(-1)))).isPresent();
  }

  @Test
  void readWithoutSeq_isInvalid() {
    assertThat(check(delivered().setMsgType(MsgType.READ).setSeq(0))).isPresent();
  }

  @Test
  void missingDestination_isInvalid() {
    assertThat(check(delivered().setDestId(0))).isPresent();
  }
}
