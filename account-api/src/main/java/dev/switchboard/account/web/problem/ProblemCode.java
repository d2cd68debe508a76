package dev.switchboard.account.web.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Every problem account-api answers with. The {@link #code} is the stable part of the contract
 * (clients switch on it); it is also the last segment of the problem {@code type} URI.
 */
public enum ProblemCode {
  VALIDATION_FAILED("validation-failed", HttpStatus.BAD_REQUEST, "Invalid request"),
  MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST, "Malformed request"),
  UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Unauthorized"),
  INVALID_CREDENTIALS("invalid-credentials", HttpStatus.UNAUTHORIZED, "Invalid credentials"),
  USER_NOT_FOUND("user-not-found", HttpStatus.NOT_FOUND, "User not found"),
  USERNAME_TAKEN("username-taken", HttpStatus.CONFLICT, "Username taken"),
  NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),
  RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),
  INVALID_FRIEND_REQUEST(
      "invalid-friend-request", HttpStatus.BAD_REQUEST, "Invalid friend request"),
  ALREADY_FRIENDS("already-friends", HttpStatus.CONFLICT, "Already friends"),
  BLOCKED("blocked", HttpStatus.FORBIDDEN, "Blocked"),
  FRIEND_LIMIT_REACHED("friend-limit-reached", HttpStatus.CONFLICT, "Friend limit reached"),
  PENDING_LIMIT_REACHED(
      "pending-limit-reached", HttpStatus.CONFLICT, "Pending friend request limit reached"),
  FRIEND_REQUEST_NOT_FOUND(
      "friend-request-not-found", HttpStatus.NOT_FOUND, "Friend request not found"),
  NOT_YOUR_REQUEST("not-your-request", HttpStatus.FORBIDDEN, "Not your friend request"),
  FRIEND_REQUEST_NOT_PENDING(
      "friend-request-not-pending", HttpStatus.CONFLICT, "Friend request not pending"),
  NOT_FRIENDS("not-friends", HttpStatus.NOT_FOUND, "Not friends"),
  NOT_A_MEMBER("not-a-member", HttpStatus.FORBIDDEN, "Not a member of the conversation"),
  METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
  NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
  PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),
  NO_CONNECTOR_AVAILABLE(
      "no-connector-available", HttpStatus.SERVICE_UNAVAILABLE, "No connector available"),
  DEPENDENCY_UNAVAILABLE(
      "dependency-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Service temporarily unavailable"),
  BAD_REQUEST("bad-request", HttpStatus.BAD_REQUEST, "Bad request"),
  INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

  public static final String TYPE_PREFIX = "https://switchboard.dev/problems/";

  private final String code;
  private final HttpStatus status;
  private final String title;

  ProblemCode(String code, HttpStatus status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  public String code() {
    return code;
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  public URI type() {
    return URI.create(TYPE_PREFIX + code);
  }
}
