package dev.switchboard.userstatus.grpc;

import dev.switchboard.proto.internal.GetRoutesRequest;
import dev.switchboard.proto.internal.ListOnlineRequest;
import dev.switchboard.proto.internal.RenewRequest;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.userstatus.store.OnlineCursor;
import dev.switchboard.userstatus.store.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks requests against the contract before anything reaches Redis, and turns them into domain
 * values. Every violation is an {@link InvalidRequestException} naming the field.
 */
public final class RequestValidator {

  /** Largest batch (sessions to renew, users to look up, page size): bounds one Redis call. */
  public static final int MAX_BATCH = 10_000;

  /** Page size of ListOnline when the request leaves it at 0. */
  public static final int DEFAULT_LIST_LIMIT = 100;

  /** Device, connector and session ids are short opaque strings; bounded to keep keys small. */
  public static final int MAX_ID_LENGTH = 128;

  /** JWT ids are UUIDs in practice; generous bound. */
  public static final int MAX_TOKEN_ID_LENGTH = 256;

  /** A session to register: user, device, connector and session are all required. */
  public Route onlineSession(boolean present, SessionRoute session) {
    if (!present) {
      throw new InvalidRequestException("session is required");
    }
    return new Route(
        userId(session.getUserId(), "session.user_id"),
        id(session.getDeviceId(), "session.device_id", false),
        id(session.getConnectorId(), "session.connector_id", true),
        id(session.getSessionId(), "session.session_id", true),
        0);
  }

  /** A session to remove: the connector is not needed, the session id decides. */
  public Route offlineSession(boolean present, SessionRoute session) {
    if (!present) {
      throw new InvalidRequestException("session is required");
    }
    return new Route(
        userId(session.getUserId(), "session.user_id"),
        id(session.getDeviceId(), "session.device_id", false),
        session.getConnectorId(),
        id(session.getSessionId(), "session.session_id", true),
        0);
  }

  /**
   * Sessions of one connector to renew; a session may leave its connector_id empty (it is the
   * request's) but may not name another connector.
   */
  public List<Route> renewSessions(RenewRequest request) {
    String connectorId = id(request.getConnectorId(), "connector_id", true);
    batch(request.getSessionsCount(), "sessions");
    List<Route> sessions = new ArrayList<>(request.getSessionsCount());
    for (int i = 0; i < request.getSessionsCount(); i++) {
      SessionRoute session = request.getSessions(i);
      String field = "sessions[" + i + "]";
      if (!session.getConnectorId().isEmpty() && !session.getConnectorId().equals(connectorId)) {
        throw new InvalidRequestException(
            field + ".connector_id '" + session.getConnectorId() + "' is not the request's");
      }
      sessions.add(
          new Route(
              userId(session.getUserId(), field + ".user_id"),
              id(session.getDeviceId(), field + ".device_id", false),
              connectorId,
              id(session.getSessionId(), field + ".session_id", true),
              0));
    }
    return sessions;
  }

  public List<Long> userIds(GetRoutesRequest request) {
    batch(request.getUserIdsCount(), "user_ids");
    for (int i = 0; i < request.getUserIdsCount(); i++) {
      userId(request.getUserIds(i), "user_ids[" + i + "]");
    }
    return request.getUserIdsList();
  }

  public int listLimit(ListOnlineRequest request) {
    int limit = request.getLimit();
    if (limit == 0) {
      return DEFAULT_LIST_LIMIT;
    }
    if (limit < 0 || limit > MAX_BATCH) {
      throw new InvalidRequestException(
          "limit must be between 1 and "
              + MAX_BATCH
              + " (0 = "
              + DEFAULT_LIST_LIMIT
              + "): "
              + limit);
    }
    return limit;
  }

  /**
   * @return null for the first page
   */
  public OnlineCursor listCursor(ListOnlineRequest request) {
    if (request.getCursor().isEmpty()) {
      return null;
    }
    try {
      return OnlineCursor.parse(request.getCursor());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "cursor is not a next_cursor returned by ListOnline: '" + request.getCursor() + "'");
    }
  }

  public String tokenId(String tokenId) {
    if (tokenId.isBlank()) {
      throw new InvalidRequestException("token_id is required");
    }
    if (tokenId.length() > MAX_TOKEN_ID_LENGTH) {
      throw new InvalidRequestException(
          "token_id is longer than " + MAX_TOKEN_ID_LENGTH + " characters");
    }
    return tokenId;
  }

  public long tokenExpiry(long expiresAtMs) {
    if (expiresAtMs <= 0) {
      throw new InvalidRequestException("expires_at_ms is required (epoch milliseconds)");
    }
    return expiresAtMs;
  }

  private static long userId(long userId, String field) {
    if (userId <= 0) {
      throw new InvalidRequestException(field + " must be positive: " + userId);
    }
    return userId;
  }

  /**
   * @param stored true for ids stored inside a route value, which uses '|' as its separator
   */
  private static String id(String value, String field, boolean stored) {
    if (value.isBlank()) {
      throw new InvalidRequestException(field + " is required");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new InvalidRequestException(field + " is longer than " + MAX_ID_LENGTH + " characters");
    }
    if (stored && value.indexOf('|') >= 0) {
      throw new InvalidRequestException(field + " may not contain '|'");
    }
    return value;
  }

  private static void batch(int size, String field) {
    if (size > MAX_BATCH) {
      throw new InvalidRequestException(
          field + " has " + size + " entries, at most " + MAX_BATCH + " per request");
    }
  }
}
