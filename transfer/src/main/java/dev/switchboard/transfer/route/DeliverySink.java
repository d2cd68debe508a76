package dev.switchboard.transfer.route;

import dev.switchboard.proto.internal.DeliverRequest;

/**
 * Hands a Deliver request to a connector without waiting; requests to one connector are written to
 * its sessions in the order they are issued here. {@link ConnectorPusher} calls it over gRPC.
 */
@FunctionalInterface
public interface DeliverySink {
  void deliver(String connectorId, DeliverRequest request);
}
