package dev.switchboard.connector.route;

import dev.switchboard.proto.internal.SyncResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where a device's missed messages and receipts are read from (offline-store). A failed future
 * means the store could not answer (a transport failure when it was unreachable, see {@link
 * RetryingCall#isTransportFailure}); it never stands for "nothing to sync".
 */
public interface SyncSource {

  /**
   * One page of what the device has not acknowledged yet.
   *
   * @param cursor empty to start a pass at the device's cursors, else the previous next_cursor
   * @param limit page size, 0 = the store's default
   * @param wait how long the store may wait for accepted but not yet stored messages
   */
  CompletableFuture<SyncResponse> sync(
      long userId, String deviceId, String cursor, int limit, Duration wait);

  /**
   * Records that the device holds every receipt up to and including {@code lastReceiptId}; true if
   * such a receipt exists for the user.
   */
  CompletableFuture<Boolean> ackReceipts(long userId, String deviceId, long lastReceiptId);
}
