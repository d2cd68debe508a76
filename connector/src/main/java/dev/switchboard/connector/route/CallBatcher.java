package dev.switchboard.connector.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Turns many small asynchronous calls into few batch calls. At most {@code maxInFlight} batches are
 * outstanding; items that arrive while they are queue up and leave together, up to {@code
 * maxBatch}, as soon as one returns. An idle batcher sends a lone item at once, so batching adds no
 * wait; a busy one sends large batches, exactly when the per-call cost matters. A batch call
 * answers each item as soon as it can ({@link Answers}), so a slow item delays nobody else.
 *
 * <p>Items submitted separately may travel in different, concurrent batches, so they must not
 * depend on each other's order. Items submitted together ({@link #submitAll}) always leave in one
 * batch, next to each other and in their order: a batch may therefore exceed {@code maxBatch} by
 * less than one group. A caller that needs order across groups keeps one group in flight at a time
 * (see {@link OrderedChatForwarder}). Thread-safe.
 */
public final class CallBatcher<I, O> {
  private final int maxInFlight;
  private final int maxBatch;
  private final BiFunction<List<I>, Answers<O>, CompletableFuture<Void>> batchCall;
  // A group per entry (a lone item is a group of one), so that a group is never split.
  private final ConcurrentLinkedQueue<List<Pending<I, O>>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  private record Pending<I, O>(I item, CompletableFuture<O> result) {}

  /** Where a batch call puts its items' results, by the item's place in the batch. */
  public interface Answers<O> {
    /** Item {@code index}'s result; a second answer for the same item is ignored. */
    void answer(int index, O result);

    /** The places of the items not answered yet, ascending: what a retry still has to send. */
    int[] unanswered();
  }

  /**
   * @param batchCall sends one batch, answers its items as results arrive, and completes when the
   *     call has ended; an item it never answered gets the call's failure
   */
  public CallBatcher(
      int maxInFlight,
      int maxBatch,
      BiFunction<List<I>, Answers<O>, CompletableFuture<Void>> batchCall) {
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
    queue.add(List.of(new Pending<>(item, result)));
    sendWhileRoom();
    return result;
  }

  /**
   * Items that leave in one batch call, adjacent and in this order; their results in the same
   * order. Empty in, empty out.
   */
  public List<CompletableFuture<O>> submitAll(List<I> items) {
    if (items.isEmpty()) {
      return List.of();
    }
    List<Pending<I, O>> group = new ArrayList<>(items.size());
    List<CompletableFuture<O>> results = new ArrayList<>(items.size());
    for (I item : items) {
      CompletableFuture<O> result = new CompletableFuture<>();
      group.add(new Pending<>(item, result));
      results.add(result);
    }
    queue.add(group);
    sendWhileRoom();
    return results;
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
      List<Pending<I, O>> next;
      while (batch.size() < maxBatch && (next = queue.poll()) != null) {
        batch.addAll(next);
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
    CompletableFuture<Void> call;
    try {
      call = batchCall.apply(items, new BatchAnswers<>(batch));
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (done, failure) -> {
          inFlight.decrementAndGet();
          try {
            // Created only when needed: a stack trace per batch call showed in profiles.
            Throwable cause = failure;
            for (Pending<I, O> pending : batch) {
              if (!pending.result().isDone()) {
                if (cause == null) {
                  cause = new IllegalStateException("the batch call ended without answering it");
                }
                pending.result().completeExceptionally(cause);
              }
            }
          } finally {
            sendWhileRoom();
          }
        });
  }

  private record BatchAnswers<I, O>(List<Pending<I, O>> batch) implements Answers<O> {
    @Override
    public void answer(int index, O result) {
      if (index >= 0 && index < batch.size()) {
        batch.get(index).result().complete(result);
      }
    }

    @Override
    public int[] unanswered() {
      int[] open = new int[batch.size()];
      int n = 0;
      for (int i = 0; i < batch.size(); i++) {
        if (!batch.get(i).result().isDone()) {
          open[n++] = i;
        }
      }
      return Arrays.copyOf(open, n);
    }
  }
}
