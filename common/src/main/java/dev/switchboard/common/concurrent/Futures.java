package dev.switchboard.common.concurrent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers for {@link java.util.concurrent.CompletableFuture} chains. */
public final class Futures {
  private Futures() {}

  /** The cause under CompletableFuture's wrappers. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
