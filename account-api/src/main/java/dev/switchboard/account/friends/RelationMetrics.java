package dev.switchboard.account.friends;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Counters of relation changes: {@code account.friend_requests{outcome}}, {@code
 * account.relations{change}}.
 */
final class RelationMetrics {
  private final MeterRegistry meters;

  RelationMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void requestSent(SentRequest.Kind kind) {
    requests(kind.name());
  }

  void requestClosed(FriendRequestStatus status) {
    requests(status.name());
  }

  void relationChanged(String change) {
    Counter.builder("account.relations")
        .description("Friendship and block changes")
        .tag("change", change)
        .register(meters)
        .increment();
  }

  private void requests(String outcome) {
    Counter.builder("account.friend_requests")
        .description("Friend requests by outcome")
        .tag("outcome", outcome.toLowerCase(Locale.ROOT))
        .register(meters)
        .increment();
  }
}
