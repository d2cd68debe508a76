package dev.switchboard.offlinestore.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;

/**
 * Times every RPC into {@code offline.rpc{method, status}}: the timer's count is the number of
 * calls per method and outcome, so errors (UNAVAILABLE, INVALID_ARGUMENT) show up per RPC.
 */
public final class RpcMetricsInterceptor implements ServerInterceptor {

  private final MeterRegistry registry;

  public RpcMetricsInterceptor(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    Timer.Sample sample = Timer.start(registry);
    ServerCall<Q, R> timed =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            sample.stop(
                Timer.builder("offline.rpc")
                    .description("OfflineStore RPCs by method and status")
                    .tag("method", method)
                    .tag("status", status.getCode().name())
                    .register(registry));
            super.close(status, trailers);
          }
        };
    return next.startCall(timed, headers);
  }
}
