package dev.switchboard.connector.testing;

import dev.switchboard.connector.route.MessageForwarder;
import dev.switchboard.proto.AckMsg;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.internal.SendAckResponse;
import dev.switchboard.proto.internal.SendChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A transfer stand-in whose answers the test gives: every call is recorded with a future that the
 * test completes when it wants the answer to arrive.
 */
public final class ScriptedForwarder implements MessageForwarder {
  public record ChatCall(ChatMsg msg, CompletableFuture<SendChatResponse> answer) {}

  public record AckCall(
      AckMsg ack, String fromDeviceId, CompletableFuture<SendAckResponse> answer) {}

  public final List<ChatCall> chats = new ArrayList<>();

  /** How many messages each sendChats call carried, in call order. */
  public final List<Integer> chatGroups = new ArrayList<>();

  public final List<AckCall> acks = new ArrayList<>();

  @Override
  public synchronized List<CompletableFuture<SendChatResponse>> sendChats(List<ChatMsg> msgs) {
    List<CompletableFuture<SendChatResponse>> answers = new ArrayList<>();
    for (ChatMsg msg : msgs) {
      ChatCall call = new ChatCall(msg, new CompletableFuture<>());
      chats.add(call);
      answers.add(call.answer());
    }
    chatGroups.add(msgs.size());
    return answers;
  }

  @Override
  public synchronized CompletableFuture<SendAckResponse> sendAck(AckMsg ack, String fromDeviceId) {
    AckCall call = new AckCall(ack, fromDeviceId, new CompletableFuture<>());
    acks.add(call);
    return call.answer();
  }
}
