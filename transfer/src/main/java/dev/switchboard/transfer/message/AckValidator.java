package dev.switchboard.transfer.message;

import dev.switchboard.common.chat.Conversations;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.AckedMsg;
import dev.switchboard.proto.MsgType;
import java.util.Optional;

/**
 * Rules for a DELIVERED/READ receipt from a recipient. SENT is the server's own receipt and never
 * comes from a client.
 */
public final class AckValidator {
  /** Messages one DELIVERED may acknowledge besides its own ack_msg_id. */
  public static final int MAX_ALSO_ACKED = 256;

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
    Optional<Refusal> alsoAcked = checkAlsoAcked(ack);
    if (alsoAcked.isPresent()) {
      return alsoAcked;
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

  private static Optional<Refusal> checkAlsoAcked(AckMsg ack) {
    if (ack.getAlsoAckedCount() == 0) {
      return Optional.empty();
    }
    if (ack.getMsgType() != MsgType.DELIVERED) {
      return Optional.of(Refusal.invalid("only a DELIVERED may acknowledge more messages"));
    }
    if (ack.getAlsoAckedCount() > MAX_ALSO_ACKED) {
      return Optional.of(
          Refusal.invalid(
              "a DELIVERED acknowledges at most "
                  + MAX_ALSO_ACKED
                  + " more messages, not "
                  + ack.getAlsoAckedCount()));
    }
    for (AckedMsg acked : ack.getAlsoAckedList()) {
      if (acked.getMsgId() <= 0 || acked.getSeq() < 0) {
        return Optional.of(Refusal.invalid("every also_acked needs a msg_id > 0 and a seq >= 0"));
      }
      if (!acked.getClientMsgId().isEmpty()) {
        Refusal clientMsgId = ChatValidator.checkClientMsgId(acked.getClientMsgId());
        if (clientMsgId != null) {
          return Optional.of(clientMsgId);
        }
      }
    }
    return Optional.empty();
  }
}
