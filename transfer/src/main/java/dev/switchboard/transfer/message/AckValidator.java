package dev.switchboard.transfer.message;

import dev.switchboard.common.chat.Conversations;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.MsgType;
import java.util.Optional;

/**
 * Rules for a DELIVERED/READ receipt from a recipient. SENT is the server's own receipt and never
 * comes from a client.
 */
public final class AckValidator {

  public Optional<Refusal> check(AckMsg ack) {
    switch (ack.getMsgType()) {
      case DELIVERED, READ -> {}
      default -> {
        return Optional.of(
            Refusal.invalid("msg_type must be DELIVERED or READ, not " + ack.getMsgType()));
      }
    }
    if (ack.getFromId() <= 0) {
      return Optional.of(Refusal.invalid("from_id must be set by the connector"));
    }
    if (ack.getDestId() <= 0) {
      return Optional.of(
          Refusal.invalid("dest_id must be the original sender's user id, not " + ack.getDestId()));
    }
    if (ack.getAckMsgId() <= 0) {
      return Optional.of(Refusal.invalid("ack_msg_id must be a message id > 0"));
    }
    if (ack.getSeq() < 0) {
      return Optional.of(Refusal.invalid("seq must not be negative"));
    }
    if (ack.getMsgType() == MsgType.READ && ack.getSeq() == 0) {
      return Optional.of(Refusal.invalid("READ needs the seq read up to"));
    }
    if (!ack.getClientMsgId().isEmpty()) {
      Refusal clientMsgId = ChatValidator.checkClientMsgId(ack.getClientMsgId());
      if (clientMsgId != null) {
        return Optional.of(clientMsgId);
      }
    }
    String expected = Conversations.single(ack.getFromId(), ack.getDestId());
    if (!expected.equals(ack.getConversationId())) {
      return Optional.of(
          Refusal.invalid(
              "conversation_id '"
                  + ack.getConversationId()
                  + "' is not the conversation of "
                  + ack.getFromId()
                  + " and "
                  + ack.getDestId()
                  + " ("
                  + expected
                  + ")"));
    }
    return Optional.empty();
  }
}
