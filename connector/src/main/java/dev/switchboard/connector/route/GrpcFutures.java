package dev.switchboard.connector.route;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** Unary calls on async stubs as {@link CompletableFuture}s, so no caller ever blocks. */
final class GrpcFutures {
  private GrpcFutures() {}

  static <T> CompletableFuture<T> unary(Consumer<StreamObserver<T>> call) {
    FutureObserver<T> observer = new FutureObserver<>();
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      observer.future.completeExceptionally(e);
    }
    return observer.future;
  }

  /**
   * A server-streaming call: each message goes to {@code onMessage} (on the call's callback thread,
   * one at a time); the future completes when the stream ends.
   */
  static <T> CompletableFuture<Void> serverStream(
      Consumer<StreamObserver<T>> call, Consumer<T> onMessage) {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    StreamObserver<T> observer =
        new StreamObserver<>() {
          @Override
          public void onNext(T value) {
            onMessage.accept(value);
          }

          @Override
          public void onError(Throwable t) {
            ended.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            ended.complete(null);
          }
        };
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      ended.completeExceptionally(e);
    }
    return ended;
  }

  private static final class FutureObserver<T> implements StreamObserver<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private T value;

    @Override
    public void onNext(T value) {
      this.value = value;
    }

    @Override
    public void onError(Throwable t) {
      future.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      future.complete(value);
    }
  }
}
