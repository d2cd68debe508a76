package dev.switchboard.connector.route;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Devices' delivery positions per conversation (offline-store), moved by DELIVERED receipts. */
public interface DeliveryCursor {

  /**
   * The device holds every message of the conversation up to and including {@code deliveredSeq}.
   */
  record Advance(long userId, String deviceId, String conversationId, long deliveredSeq) {}

  /**
   * Records the advances (cursors only move forward; one for a conversation the user is not in
   * records nothing); completes when all are recorded, fails when the call failed as a whole.
   */
  CompletableFuture<Void> advanceAll(List<Advance> advances);
}
