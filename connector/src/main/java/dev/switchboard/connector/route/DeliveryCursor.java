package dev.switchboard.connector.route;

import java.util.concurrent.CompletableFuture;

/** A device's delivery position per conversation (offline-store), moved by DELIVERED receipts. */
public interface DeliveryCursor {

  /**
   * Records that the device holds every message of the conversation up to and including {@code
   * deliveredSeq}; returns the device's cursor after the call (it only moves forward).
   */
  CompletableFuture<Long> advance(
      long userId, String deviceId, String conversationId, long deliveredSeq);
}
