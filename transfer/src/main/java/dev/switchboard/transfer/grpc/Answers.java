package dev.switchboard.transfer.grpc;

import dev.switchboard.common.grpc.ItemFailures;
import dev.switchboard.proto.Error;
import dev.switchboard.proto.internal.ItemFailure;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.transfer.db.StoreFailureException;
import dev.switchboard.transfer.ids.IdUnavailableException;
import dev.switchboard.transfer.message.ChatOutcome;
import dev.switchboard.transfer.message.Refusal;
import io.grpc.Status;
import java.util.Optional;

/**
 * The one place where domain results become wire answers: expected outcomes become values in the
 * response, anything unexpected becomes a gRPC status (INTERNAL) whose description names the cause
 * but no internals beyond it.
 */
final class Answers {
  private Answers() {}

  /** The answer to a SendChat whose outcome is Sent or Refused (see {@link #abandoned}). */
  static SendChatResponse chat(ChatOutcome outcome, String clientMsgId) {
    if (outcome instanceof ChatOutcome.Sent sent) {
      return SendChatResponse.newBuilder().setSent(sent.receipt()).build();
    }
    if (outcome instanceof ChatOutcome.Refused refused) {
      return SendChatResponse.newBuilder().setError(error(refused.refusal(), clientMsgId)).build();
    }
    throw new IllegalArgumentException("no response value for " + outcome);
  }

  /** A call nobody waits for any more; the status only tells a caller that is still listening. */
  static ItemFailure abandoned() {
    return ItemFailures.of(
        Status.CANCELLED.withDescription(
            "call cancelled or past its deadline before it was sequenced; not stored"));
  }

  static SendAckResponse ack(Optional<Refusal> refusal, String clientMsgId) {
    return refusal
        .map(r -> SendAckResponse.newBuilder().setError(error(r, clientMsgId)).build())
        .orElse(SendAckResponse.getDefaultInstance());
  }

  static ItemFailure unexpected(Throwable t) {
    String cause;
    if (t instanceof IdUnavailableException) {
      cause = "no message id available: " + t.getMessage();
    } else if (t instanceof StoreFailureException) {
      cause = "database error";
    } else {
      cause = "unexpected error";
    }
    // The cause itself is logged where it happened; it never travels.
    return ItemFailures.of(
        Status.INTERNAL.withDescription(cause + "; retry with the same client_msg_id"));
  }

  private static Error error(Refusal refusal, String clientMsgId) {
    return Error.newBuilder()
        .setCode(refusal.code())
        .setMessage(refusal.message())
        .setClientMsgId(clientMsgId)
        .build();
  }
}
