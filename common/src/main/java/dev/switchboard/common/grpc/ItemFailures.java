package dev.switchboard.common.grpc;

import dev.switchboard.proto.internal.ItemFailure;
import io.grpc.Status;

/**
 * A batch item's failure and the gRPC status the same request would have failed with on its own:
 * transfer writes one, the connector reads it back, so both sides agree on the mapping.
 */
public final class ItemFailures {
  private ItemFailures() {}

  public static ItemFailure of(Status status) {
    return ItemFailure.newBuilder()
        .setStatusCode(status.getCode().value())
        .setDescription(status.getDescription() == null ? "" : status.getDescription())
        .build();
  }

  public static Status status(ItemFailure failure) {
    return Status.fromCodeValue(failure.getStatusCode()).withDescription(failure.getDescription());
  }
}
