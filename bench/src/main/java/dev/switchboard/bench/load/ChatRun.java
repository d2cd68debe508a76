package dev.switchboard.bench.load;

import dev.switchboard.bench.target.ConsumerLag;
import dev.switchboard.client.rest.LoginSession;
import dev.switchboard.devkit.delivery.DeliveryChecker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat load over pairs of sessions: connects an SDK client per session, lets both users of a
 * pair write to each other, and (when the durable log is reachable) reads offline-store's consumer
 * lag the moment sending stops and how long it then takes to reach zero. {@code p2p} runs it
 * against the system, {@code baseline} against the relay: the same generator either way.
 */
public final class ChatRun {
  private static final Logger log = LoggerFactory.getLogger(ChatRun.class);
  private static final Duration LAG_TIMEOUT = Duration.ofSeconds(120);

  /** Threads of the load generator's SDK clients. */
  public record Threads(int io, int callbacks) {}

  /** Everything the figures are made of. */
  public record Outcome(
      ChatLoadResult load,
      DeliveryChecker.Report delivery,
      long disconnects,
      long serverErrors,
      OptionalLong lagAtEnd,
      Optional<Double> lagZeroAfterSeconds) {}

  private ChatRun() {}

  /**
   * @param a first users of the pairs
   * @param b their partners, {@code b.get(i)} for {@code a.get(i)}
   * @param lag the consumer lag reader, if the log is reachable
   */
  public static Outcome run(
      URI apiUrl,
      List<LoginSession> a,
      List<LoginSession> b,
      ChatLoadConfig config,
      Threads threads,
      Optional<ConsumerLag> lag,
      String idPrefix) {
    return run(apiUrl, a, b, config, threads, lag, idPrefix, load -> {});
  }

  /**
   * Like the other {@code run}, handing the load to {@code started} before it runs, so that another
   * thread can {@link ChatLoad#stop()} it (the chatting pairs of {@code connections}).
   */
  public static Outcome run(
      URI apiUrl,
      List<LoginSession> a,
      List<LoginSession> b,
      ChatLoadConfig config,
      Threads threads,
      Optional<ConsumerLag> lag,
      String idPrefix,
      java.util.function.Consumer<ChatLoad> started) {
    DeliveryChecker checker = new DeliveryChecker();
    Window window = new Window();
    Deliveries deliveries = new Deliveries(checker, window);
    try (SdkFleet fleet = new SdkFleet(apiUrl, threads.io(), threads.callbacks(), deliveries)) {
      long connectStart = System.nanoTime();
      List<SdkFleet.Member> as = fleet.connect(a, "bench", 64);
      List<SdkFleet.Member> bs = fleet.connect(b, "bench", 64);
      log.info(
          "{} clients connected in {} ms",
          as.size() + bs.size(),
          (System.nanoTime() - connectStart) / 1_000_000);
      List<ChatLoad.Route> routes = new ArrayList<>();
      for (int i = 0; i < as.size(); i++) {
        SdkFleet.Member x = as.get(i);
        SdkFleet.Member y = bs.get(i);
        checker.expectDevice(x.userId(), x.device());
        checker.expectDevice(y.userId(), y.device());
        routes.add(new ChatLoad.Route(x.client(), y.userId()));
        routes.add(new ChatLoad.Route(y.client(), x.userId()));
      }
      long[] lagAtEnd = {-1};
      ChatLoad load = new ChatLoad(config, routes, checker, deliveries, window, idPrefix);
      started.accept(load);
      ChatLoadResult result = load.run(stoppedAt -> lag.ifPresent(l -> lagAtEnd[0] = safeLag(l)));
      long stoppedAt = System.nanoTime() - (long) (result.drainSeconds() * 1e9);
      Optional<Double> zeroAfter =
          lag.flatMap(l -> l.timeToZero(LAG_TIMEOUT, Duration.ofMillis(100)))
              .map(d -> (System.nanoTime() - stoppedAt) / 1e9);
      return new Outcome(
          result,
          checker.report(),
          fleet.disconnects(),
          fleet.serverErrors(),
          lagAtEnd[0] < 0 ? OptionalLong.empty() : OptionalLong.of(lagAtEnd[0]),
          zeroAfter);
    }
  }

  private static long safeLag(ConsumerLag lag) {
    try {
      return lag.lag();
    } catch (RuntimeException e) {
      log.warn("cannot read the consumer lag: {}", e.getMessage());
      return -1;
    }
  }
}
