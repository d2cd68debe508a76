package dev.switchboard.account.auth;

/** The request carries no usable bearer token; answered with 401 "unauthorized". */
public final class UnauthorizedException extends RuntimeException {
  public UnauthorizedException(String message) {
    super(message);
  }
}
