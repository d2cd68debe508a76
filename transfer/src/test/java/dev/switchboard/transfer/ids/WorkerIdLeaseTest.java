package dev.switchboard.transfer.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;

/** The lease's state machine, driven by connection states, with a scripted node and scheduler. */
class WorkerIdLeaseTest {

  /** A node whose holder is scripted answer by answer (the last answer repeats). */
  private static final class ScriptedNode implements LeaseNode {
    private final Deque<Object> answers = new ArrayDeque<>();
    private Object last = Holder.OURS;
    int creates;
    int releases;
    boolean createSucceeds = true;

    ScriptedNode then(Object... next) {
      answers.addAll(List.of(next));
      return this;
    }

    @Override
    public Holder holder() throws Exception {
      Object answer = answers.isEmpty() ? last : answers.poll();
      last = answer;
      if (answer instanceof Exception e) {
        throw e;
      }
      return (Holder) answer;
    }

    @Override
    public boolean create() {
      creates++;
      if (createSucceeds) {
        then(Holder.OURS);
      }
      return createSucceeds;
    }

    @Override
    public void release() {
      releases++;
    }

    @Override
    public String path() {
      return "/test/worker-ids/7";
    }
  }

  /** Tasks run only when the test says so; delays are recorded. */
  private static final class ManualScheduler implements WorkerIdLease.Scheduler {
    private final Deque<Runnable> tasks = new ArrayDeque<>();
    final List<Long> delays = new ArrayList<>();

    @Override
    public void schedule(Runnable task, long delayMillis) {
      delays.add(delayMillis);
      tasks.add(task);
    }

    void runNext() {
      tasks.poll().run();
    }

    void runAll() {
      while (!tasks.isEmpty()) {
        runNext();
      }
    }

    boolean idle() {
      return tasks.isEmpty();
    }
  }

  private final ScriptedNode node = new ScriptedNode();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final WorkerIdLease lease = new WorkerIdLease(node, 7, scheduler, null, null);
  private final LeasedIdIssuer ids =
      new LeasedIdIssuer(lease, new SnowflakeIdGenerator(7, System::currentTimeMillis, 50));

  @Test
  void suspended_stopsIssuingIds_untilReconnectedAndTheNodeIsConfirmed() {
    assertThat(ids.nextId()).isPositive();

    lease.onConnectionState(ConnectionState.SUSPENDED);
    assertThat(lease.isValid()).isFalse();
    assertThatThrownBy(ids::nextId)
        .isInstanceOf(IdUnavailableException.class)
        .hasMessageContaining("worker id 7");

    lease.onConnectionState(ConnectionState.RECONNECTED);
    // Reconnected is not enough: still refused until the node is confirmed as ours.
    assertThat(lease.isValid()).isFalse();
    scheduler.runAll();
    assertThat(lease.isValid()).isTrue();
    assertThat(ids.nextId()).isPositive();
    assertThat(node.creates).isZero();
  }

  @Test
  void confirmationThatFails_isRetriedWithGrowingBackoff_untilItSucceeds() {
    lease.onConnectionState(ConnectionState.SUSPENDED);
    node.then(new Exception("connection loss"), new Exception("connection loss"));
    node.then(LeaseNode.Holder.OURS);
    lease.onConnectionState(ConnectionState.RECONNECTED);

    scheduler.runNext();
    assertThat(lease.isValid()).isFalse();
    scheduler.runNext();
    assertThat(lease.isValid()).isFalse();
    scheduler.runNext();
    assertThat(lease.isValid()).isTrue();
    assertThat(scheduler.delays)
        .containsExactly(
            0L, WorkerIdLease.FIRST_RETRY_MILLIS, WorkerIdLease.FIRST_RETRY_MILLIS * 2);
    assertThat(scheduler.idle()).isTrue();
  }

  @Test
  void backoff_isCappedAndKeepsGoing() {
    lease.onConnectionState(ConnectionState.LOST);
    for (int i = 0; i < 20; i++) {
      node.then(new Exception("no quorum"));
    }
    lease.onConnectionState(ConnectionState.RECONNECTED);
    for (int i = 0; i < 20; i++) {
      scheduler.runNext();
    }
    assertThat(scheduler.delays).last().isEqualTo(WorkerIdLease.MAX_RETRY_MILLIS);
    node.then(LeaseNode.Holder.OURS);
    scheduler.runNext();
    assertThat(lease.isValid()).isTrue();
  }

  @Test
  void sessionLost_andTheNodeGone_isReCreated() {
    lease.onConnectionState(ConnectionState.LOST);
    node.then(LeaseNode.Holder.NONE);
    lease.onConnectionState(ConnectionState.RECONNECTED);
    scheduler.runAll();
    assertThat(node.creates).isEqualTo(1);
    assertThat(lease.isValid()).isTrue();
  }

  @Test
  void ourNodeOfAnExpiredSession_isWaitedOut_thenReCreated() {
    lease.onConnectionState(ConnectionState.LOST);
    node.then(LeaseNode.Holder.OURS_STALE, LeaseNode.Holder.OURS_STALE, LeaseNode.Holder.NONE);
    lease.onConnectionState(ConnectionState.RECONNECTED);
    scheduler.runNext();
    scheduler.runNext();
    assertThat(lease.isValid()).isFalse();
    assertThat(node.creates).isZero();
    scheduler.runAll();
    assertThat(node.creates).isEqualTo(1);
    assertThat(lease.isValid()).isTrue();
  }

  @Test
  void numberTakenByAnotherInstance_isLostForGood_andRunsTheDeregistration() {
    AtomicInteger deregistered = new AtomicInteger();
    lease.onLostForGood(deregistered::incrementAndGet);
    lease.onConnectionState(ConnectionState.LOST);
    node.then(LeaseNode.Holder.OTHER);
    lease.onConnectionState(ConnectionState.RECONNECTED);
    scheduler.runAll();

    assertThat(lease.isLostForGood()).isTrue();
    assertThat(lease.isValid()).isFalse();
    assertThat(deregistered).hasValue(1);
    assertThatThrownBy(ids::nextId).isInstanceOf(IdUnavailableException.class);

    // Nothing revives it, and a late registration of the action still runs it.
    node.then(LeaseNode.Holder.OURS);
    lease.onConnectionState(ConnectionState.RECONNECTED);
    scheduler.runAll();
    assertThat(lease.isValid()).isFalse();
    AtomicInteger late = new AtomicInteger();
    lease.onLostForGood(late::incrementAndGet);
    assertThat(late).hasValue(1);
  }

  @Test
  void suspendedAgainWhileConfirming_dropsTheOlderAttempt() {
    lease.onConnectionState(ConnectionState.SUSPENDED);
    lease.onConnectionState(ConnectionState.RECONNECTED);
    lease.onConnectionState(ConnectionState.SUSPENDED);
    scheduler.runAll();
    assertThat(lease.isValid()).isFalse();

    lease.onConnectionState(ConnectionState.RECONNECTED);
    scheduler.runAll();
    assertThat(lease.isValid()).isTrue();
  }

  @Test
  void closed_releasesTheNumber() {
    lease.close();
    lease.close();
    assertThat(node.releases).isEqualTo(1);
  }

  @Test
  void abandoned_stopsIssuingIds_butLeavesTheNodeToTheSession() {
    lease.abandon();
    assertThat(lease.isValid()).isFalse();
    assertThatThrownBy(ids::nextId).isInstanceOf(IdUnavailableException.class);
    lease.onConnectionState(ConnectionState.RECONNECTED);
    scheduler.runAll();
    assertThat(lease.isValid()).isFalse();
    lease.close(); // the graceful close after a crash releases nothing either
    assertThat(node.releases).isZero();
  }

  @Test
  void closed_isNeverValidAgain() {
    lease.close();
    lease.onConnectionState(ConnectionState.RECONNECTED);
    scheduler.runAll();
    assertThat(lease.isValid()).isFalse();
  }
}
