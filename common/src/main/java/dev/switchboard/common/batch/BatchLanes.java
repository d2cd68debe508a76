package dev.switchboard.common.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Threads that each take whatever queued in their lane while their last batch ran (up to {@code
 * maxBatch}) and hand it to one handler call: the shape of group commit. An idle lane serves a lone
 * item at once; a busy one serves large batches, so the cost per batch (a transaction, a log flush)
 * is shared by more items exactly when there are more.
 *
 * <p>Items submitted with the same key always go to the same lane, in order, so a caller can keep
 * one lane's rows or locks away from the others'.
 */
public final class BatchLanes<T> implements AutoCloseable {

  private final List<Lane> lanes = new ArrayList<>();
  private final int maxBatch;
  private final Consumer<List<T>> handler;
  private final BiConsumer<List<T>, Throwable> onUnexpected;
  private volatile boolean closed;

  /**
   * @param threadName prefix of the lanes' thread names
   * @param handler serves one batch; must answer every item of it
   * @param onUnexpected told when the handler threw: the batch's items must be answered there
   */
  public BatchLanes(
      String threadName,
      int lanes,
      int maxBatch,
      Consumer<List<T>> handler,
      BiConsumer<List<T>, Throwable> onUnexpected) {
    if (lanes < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("lanes and maxBatch must be positive");
    }
    this.maxBatch = maxBatch;
    this.handler = Objects.requireNonNull(handler, "handler");
    this.onUnexpected = Objects.requireNonNull(onUnexpected, "onUnexpected");
    for (int i = 0; i < lanes; i++) {
      Lane lane = new Lane(threadName + "-" + i);
      this.lanes.add(lane);
      lane.thread.start();
    }
  }

  /** Queues {@code item} in the lane of {@code key}; false once closed (nothing queued). */
  public boolean submit(int key, T item) {
    if (closed) {
      return false;
    }
    lanes.get(Math.floorMod(key, lanes.size())).queue.add(item);
    return true;
  }

  /**
   * Stops the lanes after the batches they are serving (waiting up to {@code wait} for each, not at
   * all if it is zero) and returns the items that were still queued, for the caller to refuse.
   */
  public List<T> close(Duration wait) {
    closed = true;
    lanes.forEach(lane -> lane.thread.interrupt());
    List<T> left = new ArrayList<>();
    for (Lane lane : lanes) {
      try {
        if (wait.toMillis() > 0) {
          lane.thread.join(wait.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      lane.queue.drainTo(left);
    }
    return left;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }

  private final class Lane implements Runnable {
    final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
    final Thread thread;

    Lane(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      List<T> batch = new ArrayList<>(maxBatch);
      while (!closed) {
        try {
          batch.add(queue.take());
        } catch (InterruptedException e) {
          return;
        }
        queue.drainTo(batch, maxBatch - 1);
        try {
          handler.accept(batch);
        } catch (RuntimeException | Error e) {
          onUnexpected.accept(batch, e);
        }
        batch.clear();
      }
    }
  }
}
