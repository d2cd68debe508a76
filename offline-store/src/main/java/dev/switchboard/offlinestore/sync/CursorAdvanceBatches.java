package dev.switchboard.offlinestore.sync;

import dev.switchboard.offlinestore.store.SqlErrors;
import dev.switchboard.offlinestore.store.StoreUnavailableException;
import dev.switchboard.offlinestore.sync.DeliveryCursors.AdvanceRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits concurrent cursor advances in one transaction per batch (group commit).
 *
 * <p>Why: every DELIVERED a device sends moves its cursor, so advances come at the message rate,
 * and each autocommitted upsert waits for its own log flush. In a p2p benchmark run offline-store's
 * handlers spent most of their time there (jstack: dozens of threads in the upsert) while the
 * flushes held up transfer's sequencing commits on the same database. A batch pays one flush.
 *
 * <p>The work per advance is unchanged ({@link DeliveryCursors#advanceIn}): the same reads, the
 * same {@code GREATEST} upsert, now in the batch's transaction. A device's advances always go to
 * the same lane, so lanes never wait for each other's row locks. If a batch fails it is rolled back
 * and its advances are retried one by one with autocommit, so one bad request fails alone.
 */
final class CursorAdvanceBatches implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CursorAdvanceBatches.class);
  private static final int MAX_BATCH = 500;

  private final DeliveryCursors cursors;
  private final DataSource dataSource;
  private final List<Lane> lanes = new ArrayList<>();
  private volatile boolean closed;

  CursorAdvanceBatches(DeliveryCursors cursors, DataSource dataSource, int lanes) {
    this.cursors = cursors;
    this.dataSource = dataSource;
    for (int i = 0; i < lanes; i++) {
      Lane lane = new Lane("offline-cursor-advances-" + i);
      this.lanes.add(lane);
      lane.thread.start();
    }
  }

  /** Blocks until the batch holding this advance committed. */
  CursorAdvance advance(AdvanceRequest request) {
    if (closed) {
      throw new StoreUnavailableException("cursor advances are shut down", null);
    }
    Pending pending = new Pending(request, new CompletableFuture<>());
    int key = Long.hashCode(request.userId()) * 31 + request.deviceId().hashCode();
    lanes.get(Math.floorMod(key, lanes.size())).queue.add(pending);
    try {
      return pending.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while advancing a cursor", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("advancing a cursor failed", e.getCause());
    }
  }

  @Override
  public void close() {
    closed = true;
    lanes.forEach(lane -> lane.thread.interrupt());
    for (Lane lane : lanes) {
      try {
        lane.thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      List<Pending> left = new ArrayList<>();
      lane.queue.drainTo(left);
      StoreUnavailableException shutDown =
          new StoreUnavailableException("cursor advances are shut down", null);
      left.forEach(p -> p.result.completeExceptionally(shutDown));
    }
  }

  private record Pending(AdvanceRequest request, CompletableFuture<CursorAdvance> result) {}

  private final class Lane implements Runnable {
    final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    final Thread thread;

    Lane(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      List<Pending> batch = new ArrayList<>(MAX_BATCH);
      while (!closed) {
        try {
          batch.add(queue.take());
        } catch (InterruptedException e) {
          return;
        }
        queue.drainTo(batch, MAX_BATCH - 1);
        try {
          commit(batch);
        } catch (RuntimeException | Error e) {
          log.error("a batch of {} cursor advances failed unexpectedly", batch.size(), e);
          batch.forEach(p -> p.result.completeExceptionally(e));
        }
        batch.clear();
      }
    }
  }

  private void commit(List<Pending> batch) {
    List<CursorAdvance> done = new ArrayList<>(batch.size());
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        for (Pending p : batch) {
          done.add(cursors.advanceIn(connection, p.request));
        }
        connection.commit();
      } catch (SQLException e) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // A broken connection: the server rolls back on disconnect.
        }
        throw e;
      }
    } catch (SQLException e) {
      if (SqlErrors.isUnavailable(e) || batch.size() == 1) {
        RuntimeException failure = SqlErrors.translate("advancing cursors", e);
        batch.forEach(p -> p.result.completeExceptionally(failure));
        return;
      }
      log.debug(
          "a batch of {} cursor advances failed ({}); one by one", batch.size(), e.toString());
      oneByOne(batch);
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result.complete(done.get(i));
    }
  }

  private void oneByOne(List<Pending> batch) {
    for (Pending p : batch) {
      try (Connection connection = dataSource.getConnection()) {
        p.result.complete(cursors.advanceIn(connection, p.request));
      } catch (SQLException e) {
        p.result.completeExceptionally(
            SqlErrors.translate("advancing the cursor of user " + p.request.userId(), e));
      } catch (RuntimeException e) {
        p.result.completeExceptionally(e);
      }
    }
  }
}
