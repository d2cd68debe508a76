package dev.switchboard.account.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.proto.ChatMsg;
import java.time.Instant;

/**
 * One stored message in a history page. {@code conversationType} and {@code contentType} are the
 * proto enum names (SINGLE, GROUP; TEXT, FILE, RECALL); {@code file} is present on FILE messages
 * only; {@code sentAt} is the ISO-8601 instant of {@code sentAtMs}.
 */
public record MessageView(
    long id,
    long seq,
    long fromId,
    long destId,
    String conversationType,
    String contentType,
    String body,
    @JsonInclude(JsonInclude.Include.NON_NULL) FileView file,
    String sentAt,
    long sentAtMs) {

  static MessageView of(ChatMsg msg) {
    return new MessageView(
        msg.getId(),
        msg.getSeq(),
        msg.getFromId(),
        msg.getDestId(),
        msg.getConversationType().name(),
        msg.getContentType().name(),
        msg.getMsgBody(),
        msg.hasFile() ? FileView.of(msg.getFile()) : null,
        Instant.ofEpochMilli(msg.getSentAtMs()).toString(),
        msg.getSentAtMs());
  }
}
