package dev.switchboard.transfer.grpc;

import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the results of one batch call's items, which finish on different handler threads in any
 * order: each goes out as soon as it is set, and the call completes after the last. A result that
 * finds the call cancelled is dropped (the caller retries what it has no answer for).
 */
final class BatchAnswer<T> {
  private static final Logger log = LoggerFactory.getLogger(BatchAnswer.class);

  private final StreamObserver<T> responses;
  private int missing;

  BatchAnswer(int size, StreamObserver<T> responses) {
    this.responses = responses;
    this.missing = size;
    if (size == 0) {
      responses.onCompleted();
    }
  }

  /** Sends one item's result (which carries its index); each item exactly once. */
  void send(T result) {
    // A StreamObserver takes one caller at a time, and the count is taken inside so that the
    // completion cannot overtake another thread's result.
    synchronized (this) {
      try {
        responses.onNext(result);
        if (--missing == 0) {
          responses.onCompleted();
        }
      } catch (RuntimeException e) {
        log.debug("batch result not sent: {}", e.toString());
      }
    }
  }
}
