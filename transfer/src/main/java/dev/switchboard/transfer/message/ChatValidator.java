package dev.switchboard.transfer.message;

import dev.switchboard.common.chat.Conversations;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import java.util.Optional;

/**
 * The rules a chat message must pass before anything is stored, and its normalized form: defaults
 * filled in, the conversation id derived, and whatever the client wrote into server-owned fields
 * (id, seq, sent_at_ms) dropped.
 */
public final class ChatValidator {
  public static final int MAX_CLIENT_MSG_ID_CHARS = 64;
  public static final int MAX_TEXT_BYTES = 16 * 1024;
  public static final int MAX_FILE_ID_CHARS = 128;
  public static final int MAX_FILE_NAME_CHARS = 255;

  /** Either the normalized message or why it was refused. */
  public record Checked(ChatMsg message, Refusal refusal) {
    public Optional<Refusal> refused() {
      return Optional.ofNullable(refusal);
    }
  }

  public Checked check(ChatMsg msg) {
    Refusal refusal = firstViolation(msg);
    return refusal != null ? new Checked(null, refusal) : new Checked(normalize(msg), null);
  }

  private static Refusal firstViolation(ChatMsg msg) {
    Refusal clientMsgId = checkClientMsgId(msg.getClientMsgId());
    if (clientMsgId != null) {
      return clientMsgId;
    }
    if (msg.getFromId() <= 0) {
      return Refusal.invalid("from_id must be set by the connector");
    }
    if (msg.getDestId() <= 0) {
      return Refusal.invalid("dest_id must be a user id > 0, not " + msg.getDestId());
    }
    switch (msg.getConversationType()) {
      case CONVERSATION_TYPE_UNSPECIFIED, SINGLE -> {}
      case GROUP -> {
        return Refusal.unsupported("group conversations are not supported yet");
      }
      default -> {
        return Refusal.invalid("unknown conversation_type " + msg.getConversationTypeValue());
      }
    }
    switch (msg.getContentType()) {
      case CONTENT_TYPE_UNSPECIFIED, TEXT -> {
        if (msg.getMsgBody().isEmpty()) {
          return Refusal.invalid("msg_body must not be empty");
        }
        return checkBodySize(msg);
      }
      case FILE -> {
        if (!msg.hasFile() || msg.getFile().getFileId().isEmpty()) {
          return Refusal.invalid("a FILE message needs file.file_id");
        }
        if (msg.getFile().getFileId().length() > MAX_FILE_ID_CHARS) {
          return Refusal.invalid("file.file_id is longer than " + MAX_FILE_ID_CHARS + " chars");
        }
        if (msg.getFile().getName().length() > MAX_FILE_NAME_CHARS) {
          return Refusal.invalid("file.name is longer than " + MAX_FILE_NAME_CHARS + " chars");
        }
        if (msg.getFile().getSize() < 0) {
          return Refusal.invalid("file.size must not be negative");
        }
        return checkBodySize(msg);
      }
      case RECALL -> {
        return Refusal.unsupported("recall is not supported yet");
      }
      default -> {
        return Refusal.invalid("unknown content_type " + msg.getContentTypeValue());
      }
    }
  }

  /** Shared with receipts, which echo the acknowledged message's client_msg_id. */
  static Refusal checkClientMsgId(String clientMsgId) {
    if (clientMsgId.isEmpty()) {
      return Refusal.invalid("client_msg_id must not be empty");
    }
    if (clientMsgId.codePointCount(0, clientMsgId.length()) > MAX_CLIENT_MSG_ID_CHARS) {
      return Refusal.invalid("client_msg_id is longer than " + MAX_CLIENT_MSG_ID_CHARS + " chars");
    }
    return null;
  }

  private static Refusal checkBodySize(ChatMsg msg) {
    // The UTF-8 bytes are what the wire, Kafka and MySQL carry; ByteString has them already.
    int bytes = msg.getMsgBodyBytes().size();
    if (bytes > MAX_TEXT_BYTES) {
      return Refusal.invalid(
          "msg_body is " + bytes + " bytes of UTF-8, more than the " + MAX_TEXT_BYTES + " allowed");
    }
    return null;
  }

  private static ChatMsg normalize(ChatMsg msg) {
    ChatMsg.Builder b =
        msg.toBuilder()
            .clearId()
            .clearSeq()
            .clearSentAtMs()
            .setConversationType(ConversationType.SINGLE)
            .setConversationId(Conversations.single(msg.getFromId(), msg.getDestId()));
    if (msg.getContentType() == ContentType.CONTENT_TYPE_UNSPECIFIED) {
      b.setContentType(ContentType.TEXT);
    }
    if (b.getContentType() == ContentType.TEXT) {
      b.clearFile();
    }
    return b.build();
  }
}
