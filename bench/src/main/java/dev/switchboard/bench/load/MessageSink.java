package dev.switchboard.bench.load;

import dev.switchboard.proto.ChatMsg;

/** Where the SDK clients of a run hand every message they surface. */
public interface MessageSink {
  /**
   * @param userId the receiving user
   * @param device names the receiving device uniquely in the run (the checker's key)
   */
  void onMessage(long userId, String device, ChatMsg message);
}
