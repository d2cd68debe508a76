package dev.switchboard.transfer.grpc;

import dev.switchboard.proto.internal.SendAckRequest;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatRequest;
import dev.switchboard.proto.internal.SendChatResponse;
import dev.switchboard.proto.internal.TransferGrpc;
import dev.switchboard.transfer.message.ChatIntake;
import dev.switchboard.transfer.message.ReceiptRelay;
import dev.switchboard.transfer.ops.TransferMetrics;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Transfer gRPC service: hands each call to one domain object and maps the result. */
public final class TransferGrpcService extends TransferGrpc.TransferImplBase {
  private static final Logger log = LoggerFactory.getLogger(TransferGrpcService.class);

  private final ChatIntake chats;
  private final ReceiptRelay receipts;
  private final TransferMetrics metrics;

  public TransferGrpcService(ChatIntake chats, ReceiptRelay receipts, TransferMetrics metrics) {
    this.chats = chats;
    this.receipts = receipts;
    this.metrics = metrics;
  }

  @Override
  public void sendChat(SendChatRequest request, StreamObserver<SendChatResponse> responses) {
    Timer.Sample sample = Timer.start();
    String clientMsgId = request.getMsg().getClientMsgId();
    SendChatResponse response;
    try {
      response = Answers.chat(chats.send(request.getMsg()), clientMsgId);
    } catch (RuntimeException e) {
      log.error(
          "SendChat from {} (client_msg_id {}, connector {}) failed",
          request.getMsg().getFromId(),
          clientMsgId,
          request.getConnectorId(),
          e);
      sample.stop(metrics.sendChatLatency());
      responses.onError(Answers.unexpected(e));
      return;
    }
    sample.stop(metrics.sendChatLatency());
    responses.onNext(response);
    responses.onCompleted();
  }

  @Override
  public void sendAck(SendAckRequest request, StreamObserver<SendAckResponse> responses) {
    Timer.Sample sample = Timer.start();
    SendAckResponse response;
    try {
      response = Answers.ack(receipts.relay(request.getAck()), request.getAck().getClientMsgId());
    } catch (RuntimeException e) {
      log.error(
          "SendAck from {} for message {} (connector {}) failed",
          request.getAck().getFromId(),
          request.getAck().getAckMsgId(),
          request.getConnectorId(),
          e);
      sample.stop(metrics.sendAckLatency());
      responses.onError(Answers.unexpected(e));
      return;
    }
    sample.stop(metrics.sendAckLatency());
    responses.onNext(response);
    responses.onCompleted();
  }
}
