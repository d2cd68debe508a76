package dev.switchboard.account;

import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.Registration;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.proto.internal.InvalidateRelationsRequest;
import dev.switchboard.proto.internal.InvalidateRelationsResponse;
import dev.switchboard.proto.internal.TransferGrpc;
import dev.switchboard.proto.internal.UserPair;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for a transfer instance only to observe the calls account-api makes to it: a real gRPC
 * server on a free port, registered in ZooKeeper under {@link ServiceNames#TRANSFER}, that records
 * every {@code InvalidateRelations} pair. (A real TransferServer needs Kafka and its own schema;
 * the invalidation's effect on the message policy is transfer's own test.)
 */
final class RecordingTransfer extends TransferGrpc.TransferImplBase implements AutoCloseable {
  private final List<UserPair> pairs = new CopyOnWriteArrayList<>();
  private Server server;
  private Registration registration;

  static RecordingTransfer start(Discovery discovery, String id) throws Exception {
    RecordingTransfer transfer = new RecordingTransfer();
    transfer.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(transfer)
            .directExecutor()
            .build()
            .start();
    transfer.registration =
        discovery.register(
            new ServiceEndpoint(
                ServiceNames.TRANSFER, id, "127.0.0.1", transfer.server.getPort(), Map.of()));
    return transfer;
  }

  @Override
  public void invalidateRelations(
      InvalidateRelationsRequest request,
      StreamObserver<InvalidateRelationsResponse> responseObserver) {
    pairs.addAll(request.getPairsList());
    responseObserver.onNext(InvalidateRelationsResponse.getDefaultInstance());
    responseObserver.onCompleted();
  }

  /** Whether the pair was invalidated, in either order. */
  boolean invalidated(long a, long b) {
    return pairs.stream()
        .anyMatch(
            pair ->
                (pair.getA() == a && pair.getB() == b) || (pair.getA() == b && pair.getB() == a));
  }

  long invalidationsOf(long a, long b) {
    return pairs.stream()
        .filter(
            pair ->
                (pair.getA() == a && pair.getB() == b) || (pair.getA() == b && pair.getB() == a))
        .count();
  }

  @Override
  public void close() throws InterruptedException {
    if (registration != null) {
      registration.close();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
