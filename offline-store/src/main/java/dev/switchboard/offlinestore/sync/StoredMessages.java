package dev.switchboard.offlinestore.sync;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.offlinestore.store.StoreFailureException;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;

/** Parses the protobuf columns back; a row that does not parse is a store fault, not input. */
public final class StoredMessages {
  private StoredMessages() {}

  public static ChatMsg chat(byte[] bytes) {
    try {
      return ChatMsg.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StoreFailureException("message.msg is not a ChatMsg", e);
    }
  }

  public static AckMsg receipt(byte[] bytes) {
    try {
      return AckMsg.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StoreFailureException("receipt.msg is not an AckMsg", e);
    }
  }
}
