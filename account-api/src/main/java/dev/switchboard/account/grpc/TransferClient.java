package dev.switchboard.account.grpc;

import dev.switchboard.account.friends.RelationInvalidation;
import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.internal.InvalidateRelationsRequest;
import dev.switchboard.proto.internal.InvalidateRelationsResponse;
import dev.switchboard.proto.internal.TransferGrpc;
import dev.switchboard.proto.internal.UserPair;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls account-api makes to transfer: after a friendship or block change, every live transfer
 * instance drops its cached policy answers for the pair ({@code InvalidateRelations}).
 *
 * <p>All instances are called at once and awaited, each with the deadline, so the REST call that
 * made the change answers only after every reachable instance has forgotten the old state: the next
 * message is judged on the new one. An instance that cannot be reached is logged and counted, not
 * retried: its cache entries expire after their short TTL anyway, and failing the REST call would
 * not undo the committed change.
 */
public final class TransferClient implements RelationInvalidation {
  private static final Logger log = LoggerFactory.getLogger(TransferClient.class);

  private final ServiceDirectory instances;
  private final GrpcChannels channels;
  private final Duration deadline;
  private final Counter invalidated;
  private final Counter failed;

  public TransferClient(
      ServiceDirectory instances, GrpcChannels channels, Duration deadline, MeterRegistry meters) {
    this.instances = instances;
    this.channels = channels;
    this.deadline = deadline;
    this.invalidated = invalidations(meters, "ok");
    this.failed = invalidations(meters, "failed");
  }

  private static Counter invalidations(MeterRegistry meters, String outcome) {
    return Counter.builder("account.relations.invalidations")
        .description("InvalidateRelations calls to transfer instances by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  @Override
  public void relationChanged(long a, long b) {
    InvalidateRelationsRequest request =
        InvalidateRelationsRequest.newBuilder()
            .addPairs(UserPair.newBuilder().setA(a).setB(b))
            .build();
    List<ServiceEndpoint> endpoints = instances.all();
    List<CompletableFuture<Status>> calls = new ArrayList<>(endpoints.size());
    for (ServiceEndpoint endpoint : endpoints) {
      calls.add(invalidate(endpoint, request));
    }
    for (int i = 0; i < calls.size(); i++) {
      Status status = await(calls.get(i));
      ServiceEndpoint endpoint = endpoints.get(i);
      if (status.isOk()) {
        invalidated.increment();
        log.debug("invalidated relation {}-{} on transfer id={}", a, b, endpoint.id());
      } else {
        failed.increment();
        log.warn(
            "InvalidateRelations {}-{} on transfer id={} at {} failed: {}; its cache expires on"
                + " its own",
            a,
            b,
            endpoint.id(),
            endpoint.target(),
            status.getCode());
      }
    }
  }

  private CompletableFuture<Status> invalidate(
      ServiceEndpoint endpoint, InvalidateRelationsRequest request) {
    CompletableFuture<Status> done = new CompletableFuture<>();
    try {
      TransferGrpc.newStub(channels.forEndpoint(endpoint))
          .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .invalidateRelations(
              request,
              new StreamObserver<InvalidateRelationsResponse>() {
                @Override
                public void onNext(InvalidateRelationsResponse response) {}

                @Override
                public void onError(Throwable t) {
                  done.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                  done.complete(Status.OK);
                }
              });
    } catch (RuntimeException e) {
      done.complete(Status.fromThrowable(e));
    }
    return done;
  }

  /** The call's own deadline ends it; the extra second only guards against a lost callback. */
  private Status await(CompletableFuture<Status> call) {
    try {
      return call.get(deadline.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.CANCELLED.withDescription("interrupted");
    } catch (Exception e) {
      return Status.DEADLINE_EXCEEDED.withCause(e);
    }
  }
}
