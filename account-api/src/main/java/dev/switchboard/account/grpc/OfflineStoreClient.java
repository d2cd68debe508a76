package dev.switchboard.account.grpc;

import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.proto.internal.HistoryRequest;
import dev.switchboard.proto.internal.HistoryResponse;
import dev.switchboard.proto.internal.IsMemberRequest;
import dev.switchboard.proto.internal.OfflineStoreGrpc;
import dev.switchboard.proto.internal.OfflineStoreGrpc.OfflineStoreBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls account-api makes to offline-store (history pages, membership). Instances come from
 * discovery; they all read the same database, so any one can answer. Every call has the deadline.
 *
 * <p>A call that finds an instance UNAVAILABLE (not reachable, or its database down) is tried once
 * more on a different instance, if there is one: that covers an instance that died before its
 * ZooKeeper registration expired. Other failures are not retried: after DEADLINE_EXCEEDED a second
 * attempt would double the caller's wait for an instance that is slow rather than gone.
 */
public final class OfflineStoreClient {
  private static final Logger log = LoggerFactory.getLogger(OfflineStoreClient.class);

  private final ServiceDirectory instances;
  private final GrpcChannels channels;
  private final Duration deadline;
  private final Counter retries;

  public OfflineStoreClient(
      ServiceDirectory instances, GrpcChannels channels, Duration deadline, MeterRegistry meters) {
    this.instances = instances;
    this.channels = channels;
    this.deadline = deadline;
    this.retries =
        Counter.builder("account.offline_store.retries")
            .description("offline-store calls tried again on another instance after UNAVAILABLE")
            .register(meters);
  }

  /**
   * One page of the conversation's stored messages before {@code beforeSeq} (0 = the latest),
   * oldest first.
   *
   * @throws DependencyUnavailableException no instance answered
   */
  public HistoryResponse history(String conversationId, long beforeSeq, int limit) {
    HistoryRequest request =
        HistoryRequest.newBuilder()
            .setConversationId(conversationId)
            .setBeforeSeq(beforeSeq)
            .setLimit(limit)
            .build();
    return call("History", stub -> stub.history(request));
  }

  /**
   * Whether the user takes part in the conversation.
   *
   * @throws DependencyUnavailableException no instance answered
   */
  public boolean isMember(long userId, String conversationId) {
    IsMemberRequest request =
        IsMemberRequest.newBuilder().setUserId(userId).setConversationId(conversationId).build();
    return call("IsMember", stub -> stub.isMember(request).getMember());
  }

  private <T> T call(String method, Function<OfflineStoreBlockingStub, T> rpc) {
    ServiceEndpoint first =
        instances
            .pick()
            .orElseThrow(
                () ->
                    new DependencyUnavailableException(
                        ServiceNames.OFFLINE_STORE,
                        "no offline-store instance is registered",
                        null));
    StatusRuntimeException failure;
    try {
      return attempt(first, rpc);
    } catch (StatusRuntimeException e) {
      failure = e;
    }
    Optional<ServiceEndpoint> second =
        failure.getStatus().getCode() == Status.Code.UNAVAILABLE
            ? another(first)
            : Optional.empty();
    if (second.isPresent()) {
      retries.increment();
      log.debug(
          "offline-store {} {} at {} unavailable; trying {}",
          method,
          first.id(),
          first.target(),
          second.get().id());
      try {
        return attempt(second.get(), rpc);
      } catch (StatusRuntimeException e) {
        failure = e;
      }
    }
    if (failure.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
      // account-api validates before calling: a refusal is a contract bug, not an outage, so it
      // must not be answered 503 (clients would retry it forever).
      throw new IllegalStateException(
          "offline-store refused " + method + ": " + failure.getStatus().getDescription(), failure);
    }
    throw new DependencyUnavailableException(
        ServiceNames.OFFLINE_STORE,
        "offline-store " + method + " failed: " + failure.getStatus().getCode(),
        failure);
  }

  private <T> T attempt(ServiceEndpoint endpoint, Function<OfflineStoreBlockingStub, T> rpc) {
    return rpc.apply(
        OfflineStoreGrpc.newBlockingStub(channels.forEndpoint(endpoint))
            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
  }

  /**
   * The next instance in round robin that is not {@code failed}. Round robin alone could hand out
   * the same instance again when concurrent calls advanced it in between.
   */
  private Optional<ServiceEndpoint> another(ServiceEndpoint failed) {
    Optional<ServiceEndpoint> next = instances.pick();
    if (next.isPresent() && !next.get().id().equals(failed.id())) {
      return next;
    }
    return instances.all().stream().filter(e -> !e.id().equals(failed.id())).findFirst();
  }
}
