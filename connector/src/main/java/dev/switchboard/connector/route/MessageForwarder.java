package dev.switchboard.connector.route;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands client messages on to transfer. Expected refusals (unknown destination, transfer
 * unreachable after retries) are {@code Error} values in the response; a failed future means an
 * unexpected fault.
 */
public interface MessageForwarder {

  /**
   * Messages ({@code from_id} and {@code from_device_id} already the session's) that reach transfer
   * together and are sequenced in the list's order (the seqs of those in one conversation increase
   * along it); one answer per message, in the same order.
   */
  List<CompletableFuture<SendChatResponse>> sendChats(List<ChatMsg> msgs);

  /** {@code ack.from_id} is already the session's user. */
  CompletableFuture<SendAckResponse> sendAck(AckMsg ack, String fromDeviceId);
}
