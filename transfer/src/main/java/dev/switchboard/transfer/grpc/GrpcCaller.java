package dev.switchboard.transfer.grpc;

import dev.switchboard.transfer.message.Caller;
import io.grpc.Context;
import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;

/** The caller of a gRPC call, seen through the call's {@link Context}. */
final class GrpcCaller implements Caller {
  private final Context context;

  private GrpcCaller(Context context) {
    this.context = context;
  }

  /** The caller of the call whose context is current on this thread. */
  static Caller current() {
    return new GrpcCaller(Context.current());
  }

  @Override
  public boolean gone() {
    // The server cancels the context when the client cancels or the deadline passes.
    return context.isCancelled();
  }

  @Override
  public long nanosLeft() {
    Deadline deadline = context.getDeadline();
    return deadline == null ? Long.MAX_VALUE : deadline.timeRemaining(TimeUnit.NANOSECONDS);
  }
}
