package dev.switchboard.transfer.route;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.transfer.ops.TransferMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes accepted messages and receipts to the recipients' connectors, off the answering path.
 *
 * <p>Order: pushes run in lanes (one thread each), a conversation always in the same lane, so the
 * route lookup and the Deliver calls of a conversation's messages are issued in the order {@link
 * #push} was called: after the Kafka acknowledgement and before SENT is answered. Hence a sender
 * that waits for SENT before sending the next message never sees its messages overtake each other
 * on a recipient's session.
 *
 * <p>Alternatives rejected: pushing on the request thread (a slow user-status would hold SENT
 * back); one shared pool (two messages of a conversation could overtake each other between route
 * lookup and Deliver).
 *
 * <p>Failures never reach the sender: the message is durable and the recipient syncs. A full lane
 * drops the push (counted) rather than blocking SENT.
 */
public final class PushDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PushDispatcher.class);

  private final RouteLookup routes;
  private final ConnectorPusher pusher;
  private final TransferMetrics metrics;
  private final List<ThreadPoolExecutor> lanes;
  private final RateLimitedLog failures = new RateLimitedLog(log, 10_000);

  public PushDispatcher(
      RouteLookup routes,
      ConnectorPusher pusher,
      TransferMetrics metrics,
      int laneCount,
      int queueCapacity) {
    this.routes = routes;
    this.pusher = pusher;
    this.metrics = metrics;
    List<ThreadPoolExecutor> created = new ArrayList<>(laneCount);
    for (int i = 0; i < laneCount; i++) {
      String name = "transfer-push-" + i;
      created.add(
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(queueCapacity),
              runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
              },
              new ThreadPoolExecutor.AbortPolicy()));
    }
    this.lanes = List.copyOf(created);
  }

  /** Queues a push of {@code frame} to the recipients' devices; returns at once. */
  public void push(String conversationId, List<Recipient> recipients, Frame frame) {
    execute(conversationId, () -> pushNow(conversationId, recipients, frame));
  }

  /**
   * Runs {@code task} in the lane of {@code orderKey}, after everything queued there before it
   * (e.g. presence notices of one user, in the order they were published); returns at once. A full
   * lane drops the task, as it drops pushes.
   */
  public void execute(String orderKey, Runnable task) {
    ThreadPoolExecutor lane = lanes.get(Math.floorMod(orderKey.hashCode(), lanes.size()));
    try {
      lane.execute(task);
    } catch (RejectedExecutionException full) {
      metrics.pushDropped();
      failures.warn("push lane full or closed, push of {} dropped", orderKey);
    }
  }

  /**
   * Pushes {@code frame} to the recipients' connected devices on the calling thread: one route
   * lookup for all of them, one Deliver per connector. For tasks already running in a lane ({@link
   * #execute}); failures are counted and logged, never thrown.
   *
   * @param what names the push in logs (a conversation id, "presence of 42")
   */
  public void pushNow(String what, List<Recipient> recipients, Frame frame) {
    try {
      Set<Long> userIds = new LinkedHashSet<>();
      recipients.forEach(r -> userIds.add(r.userId()));
      List<SessionRoute> found = routes.routes(userIds);
      Map<String, DeliverRequest> plan = PushPlanner.plan(recipients, found, frame);
      plan.forEach(pusher::deliver);
    } catch (RouteLookupException e) {
      metrics.pushFailure();
      failures.warn("route lookup for {} failed: {}", what, e.getMessage());
    } catch (RuntimeException e) {
      metrics.pushFailure();
      failures.warn("push of {} failed: {}", what, e.toString());
    }
  }

  /** Lets queued pushes run for up to {@code timeout}, then drops the rest. */
  public void close(Duration timeout) {
    lanes.forEach(ThreadPoolExecutor::shutdown);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ThreadPoolExecutor lane : lanes) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !lane.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          lane.shutdownNow();
        }
      } catch (InterruptedException e) {
        lane.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }
}
