package dev.switchboard.offlinestore.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.offlinestore.store.ConversationIds;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.MsgType;
import dev.switchboard.proto.internal.MessageEvent;

/**
 * Turns a record value into a {@link LogEvent} and checks everything the schema needs, so that a
 * record that could never be stored is skipped here instead of failing (and endlessly retrying) the
 * MySQL transaction of its whole batch.
 */
public final class EventDecoder {
  /** The TINYINT columns hold enum numbers. */
  private static final int MAX_ENUM_NUMBER = 127;

  public LogEvent decode(byte[] value) {
    if (value == null) {
      return new LogEvent.Invalid("empty record (tombstone)");
    }
    MessageEvent event;
    try {
      event = MessageEvent.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      return new LogEvent.Invalid("not a MessageEvent: " + e.getMessage());
    }
    return switch (event.getEventCase()) {
      case CHAT -> chat(event.getChat());
      case ACK -> receipt(event.getAck());
      case EVENT_NOT_SET -> new LogEvent.Unknown();
    };
  }

  private static LogEvent chat(ChatMsg msg) {
    if (msg.getId() <= 0) {
      return new LogEvent.Invalid("chat without id");
    }
    if (msg.getSeq() <= 0) {
      return new LogEvent.Invalid("chat " + msg.getId() + " without seq");
    }
    if (msg.getFromId() <= 0) {
      return new LogEvent.Invalid("chat " + msg.getId() + " without from_id");
    }
    if (!ConversationIds.isValid(msg.getConversationId())) {
      return new LogEvent.Invalid("chat " + msg.getId() + " with a malformed conversation_id");
    }
    if (msg.getDestId() < 0 || msg.getSentAtMs() < 0) {
      return new LogEvent.Invalid("chat " + msg.getId() + " with a negative dest_id or time");
    }
    if (msg.getConversationType() == ConversationType.SINGLE && msg.getDestId() == 0) {
      return new LogEvent.Invalid("single chat " + msg.getId() + " without dest_id");
    }
    if (msg.getConversationTypeValue() < 0
        || msg.getConversationTypeValue() > MAX_ENUM_NUMBER
        || msg.getContentTypeValue() < 0
        || msg.getContentTypeValue() > MAX_ENUM_NUMBER) {
      return new LogEvent.Invalid("chat " + msg.getId() + " with an out-of-range type");
    }
    return new LogEvent.Chat(msg);
  }

  private static LogEvent receipt(AckMsg ack) {
    if (ack.getId() <= 0) {
      return new LogEvent.Invalid("receipt without id");
    }
    if (ack.getMsgType() != MsgType.DELIVERED && ack.getMsgType() != MsgType.READ) {
      return new LogEvent.Invalid(
          "receipt " + ack.getId() + " of type " + ack.getMsgTypeValue() + " is not stored");
    }
    if (ack.getFromId() <= 0 || ack.getDestId() <= 0) {
      return new LogEvent.Invalid("receipt " + ack.getId() + " without from_id or dest_id");
    }
    if (!ConversationIds.isValid(ack.getConversationId())) {
      return new LogEvent.Invalid("receipt " + ack.getId() + " with a malformed conversation_id");
    }
    if (ack.getSeq() < 0 || ack.getAckMsgId() < 0 || ack.getSentAtMs() < 0) {
      return new LogEvent.Invalid("receipt " + ack.getId() + " with a negative seq, id or time");
    }
    return new LogEvent.Receipt(ack);
  }
}
