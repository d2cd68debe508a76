package dev.switchboard.transfer.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.common.grpc.ItemFailures;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.transfer.ids.IdUnavailableException;
import dev.switchboard.transfer.message.ChatOutcome;
import dev.switchboard.transfer.message.Refusal;
import io.grpc.Status;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswersTest {

  @Test
  void sent_becomesTheSentReceipt() {
    AckMsg receipt = AckMsg.newBuilder().setMsgType(MsgType.SENT).setAckMsgId(5).build();
    SendChatResponse response = Answers.chat(new ChatOutcome.Sent(receipt), "c-1");
    assertThat(response.getSent()).isEqualTo(receipt);
  }

  @Test
  void refusal_becomesAnErrorValueWithTheClientMsgId() {
    SendChatResponse response =
        Answers.chat(new ChatOutcome.Refused(Refusal.unknownDestination(9)), "c-1");
    assertThat(response.hasError()).isTrue();
    assertThat(response.getError().getCode()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION);
    assertThat(response.getError().getMessage()).isEqualTo("no user 9");
    assertThat(response.getError().getClientMsgId()).isEqualTo("c-1");
  }

  @Test
  void acceptedReceipt_hasNoError() {
    assertThat(Answers.ack(Optional.empty(), "x").hasError()).isFalse();
    assertThat(Answers.ack(Optional.of(Refusal.invalid("bad")), "x").getError().getCode())
        .isEqualTo(ErrorCode.INVALID_MESSAGE);
  }

  @Test
  void unexpectedFailure_isInternalAndSaysRetryIsSafe() {
    Status status =
        ItemFailures.status(
            Answers.unexpected(new IdUnavailableException("clock moved backwards by 900 ms")));
    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription())
        .contains("clock moved backwards")
        .contains("retry with the same client_msg_id");
  }

  @Test
  void itemFailure_carriesTheStatusTheUnbatchedCallWouldHaveFailedWith() {
    Status status =
        ItemFailures.status(ItemFailures.of(Status.RESOURCE_EXHAUSTED.withDescription("busy")));
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).isEqualTo("busy");
    assertThat(ItemFailures.status(Answers.abandoned()).getCode()).isEqualTo(Status.Code.CANCELLED);
  }
}
