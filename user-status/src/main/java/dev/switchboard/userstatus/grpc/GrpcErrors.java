package dev.switchboard.userstatus.grpc;

import dev.switchboard.userstatus.store.StoreException;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that maps domain failures to gRPC statuses. */
public final class GrpcErrors {

  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  /**
   * INVALID_ARGUMENT for contract violations, UNAVAILABLE when Redis cannot answer (callers retry
   * and must never read it as "offline" or "not revoked"), INTERNAL for anything unexpected.
   */
  public static Status toStatus(String rpc, Throwable failure) {
    if (failure instanceof InvalidRequestException) {
      return Status.INVALID_ARGUMENT.withDescription(failure.getMessage());
    }
    if (failure instanceof StoreException store) {
      if (store.unavailable()) {
        // DEBUG: an outage fails every call; the outage itself is reported once per cleanup
        // round by the server, and per RPC in the userstatus.rpc{status=UNAVAILABLE} metric.
        log.debug("{} failed: {}", rpc, store.getMessage());
        return Status.UNAVAILABLE.withDescription(store.getMessage()).withCause(store);
      }
      log.error("{} failed in Redis", rpc, store);
      return Status.INTERNAL.withDescription(store.getMessage()).withCause(store);
    }
    log.error("{} failed unexpectedly", rpc, failure);
    return Status.INTERNAL
        .withDescription(rpc + " failed: " + failure.getClass().getSimpleName())
        .withCause(failure);
  }
}
