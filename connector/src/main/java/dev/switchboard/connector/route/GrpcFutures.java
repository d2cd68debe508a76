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
