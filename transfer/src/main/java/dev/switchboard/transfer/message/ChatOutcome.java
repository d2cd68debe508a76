package dev.switchboard.transfer.message;

import dev.switchboard.proto.AckMsg;

/** What SendChat answers: the SENT receipt, or an expected refusal. */
public sealed interface ChatOutcome {
  record Sent(AckMsg receipt) implements ChatOutcome {}

  record Refused(Refusal refusal) implements ChatOutcome {}
}
