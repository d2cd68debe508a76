package dev.switchboard.connector.session;

import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.Pong;
import dev.switchboard.proto.SyncResp;
import dev.switchboard.proto.internal.SyncResponse;

/** The frames the connector itself writes to clients. */
public final class Frames {
  private Frames() {}

  public static Frame error(ErrorCode code, String message, long requestId) {
    return error(code, message, requestId, "");
  }

  public static Frame error(ErrorCode code, String message, long requestId, String clientMsgId) {
    return error(
        Error.newBuilder()
            .setCode(code)
            .setMessage(message)
            .setRequestId(requestId)
            .setClientMsgId(clientMsgId)
            .build(),
        requestId);
  }

  /** Echoes the request id on both the frame and the error, as the protocol asks. */
  public static Frame error(Error error, long requestId) {
    return Frame.newBuilder()
        .setRequestId(requestId)
        .setError(error.toBuilder().setRequestId(requestId))
        .build();
  }

  public static Frame kick(KickReason reason, String message) {
    return Frame.newBuilder()
        .setKick(Kick.newBuilder().setReason(reason).setMessage(message))
        .build();
  }

  public static Frame pong(long timeMs, long requestId) {
    return Frame.newBuilder()
        .setRequestId(requestId)
        .setPong(Pong.newBuilder().setTimeMs(timeMs))
        .build();
  }

  /**
   * A SyncResp from offline-store's page. A head's max_seq is the allocated seq: it includes
   * messages accepted but not stored yet, which is what tells the client to sync again. The stored
   * seq can never be above it, except when the store could not read the allocator (allocated 0), so
   * the larger of the two is the conversation's known head.
   */
  public static Frame syncResp(SyncResponse page, long requestId) {
    SyncResp.Builder resp =
        SyncResp.newBuilder()
            .addAllMessages(page.getMessagesList())
            .addAllAcks(page.getAcksList())
            .setNextCursor(page.getNextCursor())
            .setHasMore(page.getHasMore());
    for (dev.switchboard.proto.internal.ConversationHead head : page.getHeadsList()) {
      resp.addHeads(
          dev.switchboard.proto.ConversationHead.newBuilder()
              .setConversationId(head.getConversationId())
              .setMaxSeq(Math.max(head.getAllocatedSeq(), head.getStoredSeq()))
              .setDeliveredSeq(head.getDeliveredSeq()));
    }
    return Frame.newBuilder().setRequestId(requestId).setSyncResp(resp).build();
  }
}
