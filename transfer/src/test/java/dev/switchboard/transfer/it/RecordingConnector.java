package dev.switchboard.transfer.it;

import dev.switchboard.proto.internal.ConnectorGrpc;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.DeliverResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;

/** Stands where a connector would be: records each Deliver and answers it. */
final class RecordingConnector extends ConnectorGrpc.ConnectorImplBase {
  private final BlockingQueue<DeliverRequest> delivered;

  RecordingConnector(BlockingQueue<DeliverRequest> delivered) {
    this.delivered = delivered;
  }

  @Override
  public void deliver(DeliverRequest request, StreamObserver<DeliverResponse> response) {
    delivered.add(request);
    response.onNext(
        DeliverResponse.newBuilder().setDeliveredSessions(request.getDeliveriesCount()).build());
    response.onCompleted();
  }
}
