package dev.switchboard.offlinestore.grpc;

import dev.switchboard.offlinestore.store.ConversationIds;
import dev.switchboard.offlinestore.sync.SyncCursor;
import java.util.Optional;

/** Checks request fields before anything reaches the database; failures name the field. */
final class RequestValidator {
  /** As LoginReq.device_id: 1..64 characters. */
  static final int MAX_DEVICE_ID_LENGTH = 64;

  void userId(long userId) {
    if (userId <= 0) {
      throw new InvalidRequestException("user_id must be positive, not " + userId);
    }
  }

  void deviceId(String deviceId) {
    if (deviceId.isBlank() || deviceId.length() > MAX_DEVICE_ID_LENGTH) {
      throw new InvalidRequestException("device_id must be 1.." + MAX_DEVICE_ID_LENGTH + " chars");
    }
    if (deviceId.codePoints().anyMatch(Character::isISOControl)) {
      throw new InvalidRequestException("device_id must not contain control characters");
    }
  }

  void conversationId(String conversationId) {
    if (!ConversationIds.isValid(conversationId)) {
      throw new InvalidRequestException(
          "conversation_id must be 1.." + ConversationIds.MAX_LENGTH + " printable ASCII chars");
    }
  }

  void positive(String field, long value) {
    if (value <= 0) {
      throw new InvalidRequestException(field + " must be positive, not " + value);
    }
  }

  void notNegative(String field, long value) {
    if (value < 0) {
      throw new InvalidRequestException(field + " must not be negative, not " + value);
    }
  }

  Optional<SyncCursor> cursor(String cursor) {
    if (cursor.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SyncCursor.parse(cursor));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "cursor is malformed; pass next_cursor unchanged, or empty to start over");
    }
  }
}
