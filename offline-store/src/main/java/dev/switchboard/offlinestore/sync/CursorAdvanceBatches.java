package dev.switchboard.offlinestore.sync;

import dev.switchboard.common.batch.BatchLanes;
import dev.switchboard.offlinestore.store.SqlErrors;
import dev.switchboard.offlinestore.store.StoreUnavailableException;
import dev.switchboard.offlinestore.sync.DeliveryCursors.AdvanceRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 * <p>The checks per advance are unchanged, but made for the whole batch at once ({@link
 * DeliveryCursors#advanceAllIn}): the same reads and the same {@code GREATEST} upsert, one
 * statement each per batch, in the batch's transaction. A device's advances always go to the same
 * lane, so lanes never wait for each other's row locks. If a batch fails it is rolled back and its
 * advances are retried one by one with autocommit, so one bad request fails alone.
 */
final class CursorAdvanceBatches implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CursorAdvanceBatches.class);
  private static final int MAX_BATCH = 500;

  private final DeliveryCursors cursors;
  private final DataSource dataSource;
  private final BatchLanes<Pending> lanes;

  CursorAdvanceBatches(DeliveryCursors cursors, DataSource dataSource, int lanes) {
    this.cursors = cursors;
    this.dataSource = dataSource;
    this.lanes =
        new BatchLanes<>(
            "offline-cursor-advances",
            lanes,
            MAX_BATCH,
            this::commit,
            (batch, e) -> {
              log.error("a batch of {} cursor advances failed unexpectedly", batch.size(), e);
              batch.forEach(p -> p.result.completeExceptionally(e));
            });
  }

  /** Blocks until the batch holding this advance committed. */
  CursorAdvance advance(AdvanceRequest request) {
    return await(submit(request));
  }

  /**
   * Blocks until the batches holding these advances committed; they spread over the lanes by
   * device, as single advances do.
   */
  List<CursorAdvance> advanceAll(List<AdvanceRequest> requests) {
    List<CompletableFuture<CursorAdvance>> submitted = new ArrayList<>(requests.size());
    for (AdvanceRequest request : requests) {
      submitted.add(submit(request));
    }
    List<CursorAdvance> done = new ArrayList<>(requests.size());
    for (CompletableFuture<CursorAdvance> result : submitted) {
      done.add(await(result));
    }
    return done;
  }

  private CompletableFuture<CursorAdvance> submit(AdvanceRequest request) {
    Pending pending = new Pending(request, new CompletableFuture<>());
    int key = Long.hashCode(request.userId()) * 31 + request.deviceId().hashCode();
    if (!lanes.submit(key, pending)) {
      return CompletableFuture.failedFuture(
          new StoreUnavailableException("cursor advances are shut down", null));
    }
    return pending.result;
  }

  private static CursorAdvance await(CompletableFuture<CursorAdvance> result) {
    try {
      return result.get();
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
    StoreUnavailableException shutDown =
        new StoreUnavailableException("cursor advances are shut down", null);
    lanes.close(Duration.ofSeconds(5)).forEach(p -> p.result.completeExceptionally(shutDown));
  }

  private record Pending(AdvanceRequest request, CompletableFuture<CursorAdvance> result) {}

  private void commit(List<Pending> batch) {
    List<CursorAdvance> done;
    try {
      done = cursors.advanceAllInTransaction(batch.stream().map(Pending::request).toList());
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
