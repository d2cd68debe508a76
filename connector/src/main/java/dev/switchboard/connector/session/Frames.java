package dev.switchboard.connector.session;

import dev.switchboard.proto.Error;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.Kick;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.Pong;

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
}
