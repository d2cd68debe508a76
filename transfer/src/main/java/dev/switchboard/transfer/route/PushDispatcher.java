package dev.switchboard.transfer.route;

import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.transfer.ops.TransferMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * <p>Batching: a lane takes everything queued while it was busy (up to {@link #MAX_BATCH}) and
 * serves the pushes among it with one route lookup for all their recipients and one Deliver per
 * connector carrying their frames in queue order. One GetRoutes round trip per message bounded a
 * lane at a few hundred pushes per second under load; per batch it costs nothing noticeable. An
 * idle lane still pushes a lone message at once. Tasks ({@link #execute}) run between the pushes
 * queued before and after them.
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

  /** Queued items one lane serves in one round. */
  static final int MAX_BATCH = 256;

  /**
   * Frame bytes per Deliver call at most: far below gRPC's 4 MiB message limit even with the
   * largest client frames.
   */
  static final int MAX_DELIVER_BYTES = 1 << 20;

  private final RouteSource routes;
  private final DeliverySink pusher;
  private final TransferMetrics metrics;
  private final List<Lane> lanes;
  private final RateLimitedLog failures = new RateLimitedLog(log, 10_000);
  private volatile boolean closed;

  public PushDispatcher(
      RouteSource routes,
      DeliverySink pusher,
      TransferMetrics metrics,
      int laneCount,
      int queueCapacity) {
    this.routes = routes;
    this.pusher = pusher;
    this.metrics = metrics;
    List<Lane> created = new ArrayList<>(laneCount);
    for (int i = 0; i < laneCount; i++) {
      created.add(new Lane("transfer-push-" + i, queueCapacity));
    }
    this.lanes = List.copyOf(created);
    lanes.forEach(lane -> lane.thread.start());
  }

  /** Queues a push of {@code frame} to the recipients' devices; returns at once. */
  public void push(String conversationId, List<Recipient> recipients, Frame frame) {
    enqueue(conversationId, new Push(conversationId, recipients, frame));
  }

  /**
   * Runs {@code task} in the lane of {@code orderKey}, after everything queued there before it
   * (e.g. presence notices of one user, in the order they were published); returns at once. A full
   * lane drops the task, as it drops pushes.
   */
  public void execute(String orderKey, Runnable task) {
    enqueue(orderKey, new Task(task));
  }

  private void enqueue(String orderKey, Work work) {
    Lane lane = lanes.get(Math.floorMod(orderKey.hashCode(), lanes.size()));
    if (closed || !lane.queue.offer(work)) {
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
    pushAll(List.of(new Push(what, recipients, frame)));
  }

  /** One route lookup for every recipient of {@code pushes}, then one Deliver per connector. */
  private void pushAll(List<Push> pushes) {
    String what = pushes.size() == 1 ? pushes.get(0).what() : pushes.size() + " pushes";
    try {
      Set<Long> userIds = new LinkedHashSet<>();
      for (Push push : pushes) {
        push.recipients().forEach(r -> userIds.add(r.userId()));
      }
      // By user, so that planning a push looks at its recipients' routes only, not the batch's.
      Map<Long, List<SessionRoute>> byUser = new HashMap<>();
      for (SessionRoute route : routes.routes(userIds)) {
        byUser.computeIfAbsent(route.getUserId(), u -> new ArrayList<>(2)).add(route);
      }
      Map<String, DeliverRequest.Builder> open = new LinkedHashMap<>();
      Map<String, Integer> openBytes = new LinkedHashMap<>();
      for (Push push : pushes) {
        List<SessionRoute> theirs = new ArrayList<>();
        for (Recipient recipient : push.recipients()) {
          theirs.addAll(byUser.getOrDefault(recipient.userId(), List.of()));
        }
        Map<String, DeliverRequest> plan =
            PushPlanner.plan(push.recipients(), theirs, push.frame());
        for (Map.Entry<String, DeliverRequest> entry : plan.entrySet()) {
          String connector = entry.getKey();
          int bytes = entry.getValue().getSerializedSize();
          DeliverRequest.Builder request = open.get(connector);
          if (request != null && openBytes.get(connector) + bytes > MAX_DELIVER_BYTES) {
            // Issued now, before the rest of this connector's frames: the order holds.
            pusher.deliver(connector, request.build());
            request = null;
          }
          if (request == null) {
            request = DeliverRequest.newBuilder();
            open.put(connector, request);
            openBytes.put(connector, 0);
          }
          request.addAllDeliveries(entry.getValue().getDeliveriesList());
          openBytes.merge(connector, bytes, Integer::sum);
        }
      }
      open.forEach((connector, request) -> pusher.deliver(connector, request.build()));
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
    closed = true;
    lanes.forEach(lane -> lane.queue.offer(Lane.STOP));
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Lane lane : lanes) {
      try {
        long left = deadline - System.nanoTime();
        lane.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (lane.thread.isAlive()) {
        lane.thread.interrupt();
        lane.queue.clear();
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }

  private sealed interface Work permits Push, Task {}

  private record Push(String what, List<Recipient> recipients, Frame frame) implements Work {}

  private record Task(Runnable task) implements Work {}

  private final class Lane implements Runnable {
    static final Work STOP = new Task(() -> {});

    final BlockingQueue<Work> queue;
    final Thread thread;

    Lane(String name, int capacity) {
      // One more than the capacity, so that the STOP marker always fits.
      this.queue = new ArrayBlockingQueue<>(capacity + 1);
      this.thread = new Thread(this, name);
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      List<Work> round = new ArrayList<>(MAX_BATCH);
      List<Push> pushes = new ArrayList<>(MAX_BATCH);
      while (true) {
        try {
          round.add(queue.take());
        } catch (InterruptedException e) {
          return;
        }
        queue.drainTo(round, MAX_BATCH - 1);
        boolean stop = false;
        for (Work work : round) {
          if (work == STOP) {
            stop = true;
            break;
          }
          if (work instanceof Push push) {
            pushes.add(push);
            continue;
          }
          flush(pushes);
          runTask((Task) work);
        }
        flush(pushes);
        round.clear();
        if (stop) {
          return;
        }
      }
    }

    private void flush(List<Push> pushes) {
      if (!pushes.isEmpty()) {
        pushAll(pushes);
        pushes.clear();
      }
    }

    private void runTask(Task task) {
      try {
        task.task().run();
      } catch (RuntimeException e) {
        metrics.pushFailure();
        failures.warn("push task failed: {}", e.toString());
      }
    }
  }
}
