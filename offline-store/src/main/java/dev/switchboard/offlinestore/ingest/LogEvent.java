package dev.switchboard.offlinestore.ingest;

import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;

/** What one record of the message log turned out to be. */
public sealed interface LogEvent {

  /** An accepted chat message to store. */
  record Chat(ChatMsg msg) implements LogEvent {}

  /** A DELIVERED or READ receipt to keep for the user it is addressed to. */
  record Receipt(AckMsg ack) implements LogEvent {}

  /**
   * Bytes that are not a usable MessageEvent (not protobuf, or a required field missing or out of
   * range). Skipped and counted: storing it is impossible, and retrying cannot make it valid.
   */
  record Invalid(String reason) implements LogEvent {}

  /**
   * A well-formed MessageEvent of a kind this version does not know (a newer producer). Skipped: it
   * is not for this store.
   */
  record Unknown() implements LogEvent {}
}
