package dev.switchboard.transfer.message;

import dev.switchboard.proto.ChatMsg;

/**
 * A failure-injection seam of {@link ChatIntake}, for tests that need a crash at the one place
 * where it matters most: after the sequencing transaction committed and before the Kafka append. A
 * hook that throws leaves the message exactly as an instance killed at that moment would (seq
 * taken, in the outbox, not in Kafka). Production uses {@link #NONE}.
 */
@FunctionalInterface
public interface IntakeHook {
  IntakeHook NONE = accepted -> {};

  /** Called with the newly accepted message right after its transaction committed. */
  void afterCommit(ChatMsg accepted);
}
