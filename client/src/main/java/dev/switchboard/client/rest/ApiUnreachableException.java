package dev.switchboard.client.rest;

import java.net.URI;

/**
 * account-api could not be reached or did not answer in time; the message says which, e.g. {@code
 * "cannot reach account-api at http://127.0.0.1:8080: connection refused"}.
 */
public final class ApiUnreachableException extends RuntimeException {

  private final URI baseUrl;

  public ApiUnreachableException(URI baseUrl, String reason, Throwable cause) {
    super("cannot reach account-api at " + baseUrl + ": " + reason, cause);
    this.baseUrl = baseUrl;
  }

  public URI baseUrl() {
    return baseUrl;
  }
}
