package dev.switchboard.offlinestore.grpc;

import dev.switchboard.offlinestore.store.StoreFailureException;
import dev.switchboard.offlinestore.store.StoreUnavailableException;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that maps failures to gRPC statuses. */
final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  private GrpcErrors() {}

  /**
   * INVALID_ARGUMENT for contract violations; UNAVAILABLE when MySQL cannot answer right now
   * (callers retry, and must never read it as "nothing to sync"); INTERNAL for anything else.
   */
  static Status toStatus(String rpc, Throwable failure) {
    if (failure instanceof InvalidRequestException) {
      return Status.INVALID_ARGUMENT.withDescription(failure.getMessage());
    }
    if (failure instanceof StoreUnavailableException) {
      // DEBUG: an outage fails every call; it shows in offline.rpc{status=UNAVAILABLE}.
      log.debug("{} failed: {}", rpc, failure.getMessage());
      return Status.UNAVAILABLE.withDescription("database unavailable, retry").withCause(failure);
    }
    if (failure instanceof StoreFailureException) {
      log.error("{} failed in the database", rpc, failure);
      return Status.INTERNAL.withDescription(rpc + " failed: database error").withCause(failure);
    }
    log.error("{} failed unexpectedly", rpc, failure);
    return Status.INTERNAL
        .withDescription(rpc + " failed: " + failure.getClass().getSimpleName())
        .withCause(failure);
  }
}
