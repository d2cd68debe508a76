package dev.switchboard.connector.route;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Turns many small asynchronous calls into few batch calls. At most {@code maxInFlight} batches are
 * outstanding; items that arrive while they are queue up and leave together, up to {@code
 * maxBatch}, as soon as one returns. An idle batcher sends a lone item at once, so batching adds no
 * wait; a busy one sends large batches, exactly when the per-call cost matters.
 *
 * <p>Items of one batch travel together and must not depend on each other's order; a caller that
 * needs order keeps one item in flight at a time (see {@link OrderedChatForwarder}). Thread-safe.
 */
public final class CallBatcher<I, O> {
  private final int maxInFlight;
  private final int maxBatch;
  private final Function<List<I>, CompletableFuture<List<O>>> batchCall;
  private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  private record Pending<I, O>(I item, CompletableFuture<O> result) {}

  /**
   * @param batchCall sends one batch; its result has one element per item, in item order
   */
  public CallBatcher(
      int maxInFlight, int maxBatch, Function<List<I>, CompletableFuture<List<O>>> batchCall) {
    if (maxInFlight < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("maxInFlight and maxBatch must be positive");
    }
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
    this.batchCall = batchCall;
  }

  /** The item's own result, or the batch call's failure. */
  public CompletableFuture<O> submit(I item) {
    CompletableFuture<O> result = new CompletableFuture<>();
    queue.add(new Pending<>(item, result));
    sendWhileRoom();
    return result;
  }

  private void sendWhileRoom() {
    // Whoever adds an item or frees a slot tries again, so an item never waits for a slot that
    // was freed before it arrived.
    while (!queue.isEmpty()) {
      int current = inFlight.get();
      if (current >= maxInFlight) {
        return;
      }
      if (!inFlight.compareAndSet(current, current + 1)) {
        continue;
      }
      List<Pending<I, O>> batch = new ArrayList<>(Math.min(maxBatch, 64));
      Pending<I, O> next;
      while (batch.size() < maxBatch && (next = queue.poll()) != null) {
        batch.add(next);
      }
      if (batch.isEmpty()) {
        inFlight.decrementAndGet(); // another thread took them
        continue;
      }
      send(batch);
    }
  }

  private void send(List<Pending<I, O>> batch) {
    List<I> items = new ArrayList<>(batch.size());
    for (Pending<I, O> pending : batch) {
      items.add(pending.item());
    }
    CompletableFuture<List<O>> call;
    try {
      call = batchCall.apply(items);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (results, failure) -> {
          inFlight.decrementAndGet();
          try {
            complete(batch, results, failure);
          } finally {
            sendWhileRoom();
          }
        });
  }

  private static <I, O> void complete(
      List<Pending<I, O>> batch, List<O> results, Throwable failure) {
    if (failure == null && results.size() != batch.size()) {
      failure =
          new IllegalStateException(
              "batch of " + batch.size() + " answered with " + results.size() + " results");
    }
    for (int i = 0; i < batch.size(); i++) {
      if (failure != null) {
        batch.get(i).result().completeExceptionally(failure);
      } else {
        batch.get(i).result().complete(results.get(i));
      }
    }
  }
}
