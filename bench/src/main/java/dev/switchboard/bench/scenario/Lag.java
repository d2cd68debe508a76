package dev.switchboard.bench.scenario;

import dev.switchboard.bench.target.ConsumerLag;
import dev.switchboard.bench.target.Target;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the consumer lag reader when the target's Kafka is known and answers. */
final class Lag {
  private static final Logger log = LoggerFactory.getLogger(Lag.class);

  private Lag() {}

  static Optional<ConsumerLag> open(Target target) {
    if (target.kafkaBootstrap().isEmpty()) {
      return Optional.empty();
    }
    ConsumerLag lag =
        new ConsumerLag(target.kafkaBootstrap().get(), target.kafkaTopic(), target.kafkaGroup());
    try {
      long now = lag.lag();
      log.info("offline-store consumer lag before the run: {}", now);
      return Optional.of(lag);
    } catch (RuntimeException e) {
      log.warn("consumer lag unavailable: {}", e.getMessage());
      lag.close();
      return Optional.empty();
    }
  }
}
