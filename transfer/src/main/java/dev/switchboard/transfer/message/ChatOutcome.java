package dev.switchboard.transfer.message;

import dev.switchboard.proto.AckMsg;

/** What SendChat answers: the SENT receipt, an expected refusal, or nothing (caller gone). */
public sealed interface ChatOutcome {
  record Sent(AckMsg receipt) implements ChatOutcome {}

  record Refused(Refusal refusal) implements ChatOutcome {}

  /** The caller cancelled or its deadline passed before a seq was taken: nothing was stored. */
  record Abandoned() implements ChatOutcome {}
}
