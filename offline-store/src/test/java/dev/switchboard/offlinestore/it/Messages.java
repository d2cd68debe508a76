package dev.switchboard.offlinestore.it;

import dev.switchboard.common.chat.Conversations;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.ContentType;
import dev.switchboard.proto.ConversationType;
import dev.switchboard.proto.MsgType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds records the way transfer writes them (ids, seqs and times set). One per test class. */
public final class Messages {
  private final AtomicLong ids = new AtomicLong(1_000);
  private final AtomicLong users = new AtomicLong(1);

  /** A user id no other test of the class uses. */
  public long newUser() {
    return users.getAndIncrement();
  }

  public long newId() {
    return ids.getAndIncrement();
  }

  public ChatMsg chat(long from, long to, long seq, long sentAtMs) {
    long id = newId();
    return ChatMsg.newBuilder()
        .setId(id)
        .setClientMsgId("c-" + id)
        .setFromId(from)
        .setDestId(to)
        .setConversationId(Conversations.single(from, to))
        .setConversationType(ConversationType.SINGLE)
        .setContentType(ContentType.TEXT)
        .setMsgBody("message " + seq + " from " + from)
        .setSeq(seq)
        .setSentAtMs(sentAtMs)
        .setFromDeviceId("phone")
        .build();
  }

  public ChatMsg chat(long from, long to, long seq) {
    return chat(from, to, seq, System.currentTimeMillis());
  }

  /** Seqs first..last of one conversation, alternating senders. */
  public List<ChatMsg> conversation(long a, long b, long first, long last) {
    List<ChatMsg> messages = new ArrayList<>();
    for (long seq = first; seq <= last; seq++) {
      messages.add(seq % 2 == 1 ? chat(a, b, seq) : chat(b, a, seq));
    }
    return messages;
  }

  /** A receipt from the recipient of {@code msg} to its sender. */
  public AckMsg receipt(ChatMsg msg, MsgType type) {
    return receipt(msg, type, newId());
  }

  public AckMsg receipt(ChatMsg msg, MsgType type, long id) {
    return AckMsg.newBuilder()
        .setId(id)
        .setFromId(msg.getDestId())
        .setDestId(msg.getFromId())
        .setMsgType(type)
        .setAckMsgId(msg.getId())
        .setClientMsgId(msg.getClientMsgId())
        .setConversationId(msg.getConversationId())
        .setSeq(msg.getSeq())
        .setSentAtMs(System.currentTimeMillis())
        .build();
  }
}
