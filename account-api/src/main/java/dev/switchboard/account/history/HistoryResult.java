package dev.switchboard.account.history;

/** What a history request ends in. */
public sealed interface HistoryResult {

  record Page(HistoryPage page) implements HistoryResult {}

  /** The caller does not take part in the conversation; nothing about it is revealed. */
  record NotAMember() implements HistoryResult {}

  /** The id can name no conversation; {@code reason} says why. */
  record InvalidConversationId(String reason) implements HistoryResult {}
}
