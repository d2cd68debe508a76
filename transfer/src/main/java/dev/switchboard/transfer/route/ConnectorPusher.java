package dev.switchboard.transfer.route;

import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.grpc.GrpcChannels;
import dev.switchboard.common.logging.RateLimitedLog;
import dev.switchboard.proto.internal.ConnectorGrpc;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.DeliverResponse;
import dev.switchboard.transfer.ops.TransferMetrics;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues Connector.Deliver calls without waiting for them. Calls to one connector go over its one
 * cached channel in the order they are issued here; the connector serves them with a direct
 * executor, so they are written to sessions in that order.
 */
public final class ConnectorPusher implements DeliverySink {
  private static final Logger log = LoggerFactory.getLogger(ConnectorPusher.class);

  private final ServiceDirectory connectors;
  private final GrpcChannels channels;
  private final Duration timeout;
  private final TransferMetrics metrics;
  private final RateLimitedLog failures = new RateLimitedLog(log, 10_000);

  public ConnectorPusher(
      ServiceDirectory connectors,
      GrpcChannels channels,
      Duration timeout,
      TransferMetrics metrics) {
    this.connectors = connectors;
    this.channels = channels;
    this.timeout = timeout;
    this.metrics = metrics;
  }

  @Override
  public void deliver(String connectorId, DeliverRequest request) {
    Optional<ServiceEndpoint> endpoint = connectors.byId(connectorId);
    if (endpoint.isEmpty()) {
      metrics.pushFailure();
      failures.warn("push skipped: connector {} is not registered", connectorId);
      return;
    }
    metrics.pushCall();
    ConnectorGrpc.newStub(channels.forEndpoint(endpoint.get()))
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .deliver(
            request,
            new StreamObserver<>() {
              @Override
              public void onNext(DeliverResponse response) {
                if (response.getMissingUserIdsCount() > 0) {
                  log.debug(
                      "connector {} no longer holds users {}",
                      connectorId,
                      response.getMissingUserIdsList());
                }
              }

              @Override
              public void onError(Throwable t) {
                metrics.pushFailure();
                failures.warn("Deliver to connector {} failed: {}", connectorId, t.toString());
              }

              @Override
              public void onCompleted() {}
            });
  }
}
