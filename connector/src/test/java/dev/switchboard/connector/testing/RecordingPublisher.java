package dev.switchboard.connector.testing;

import dev.switchboard.connector.route.PresencePublisher;
import java.util.ArrayList;
import java.util.List;

/** Records the session starts and ends a connector reports to transfer. */
public final class RecordingPublisher implements PresencePublisher {
  private final List<String> published = new ArrayList<>();

  @Override
  public synchronized void publish(
      long userId, String deviceId, boolean online, boolean transition) {
    published.add(
        userId
            + "/"
            + deviceId
            + (online ? " online" : " offline")
            + (transition ? "" : " (transfer decides)"));
  }

  /**
   * Each report as {@code "7/phone online"} (a transition) or {@code "7/phone online (transfer
   * decides)"}, in order.
   */
  public synchronized List<String> published() {
    return List.copyOf(published);
  }
}
