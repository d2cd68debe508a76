package dev.switchboard.client.rest;

/**
 * account-api answered with an error status. {@link #code()} is the stable problem code of the
 * contract ({@code "invalid-credentials"}, {@code "username-taken"}, ...), or {@code
 * "http-<status>"} when the body was not problem JSON (e.g. a proxy's error page).
 */
public final class ApiException extends RuntimeException {

  private final String request;
  private final int status;
  private final String code;
  private final String title;
  private final String detail;

  public ApiException(String request, int status, String code, String title, String detail) {
    super(
        request
            + " failed: "
            + status
            + " "
            + code
            + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
    this.request = request;
    this.status = status;
    this.code = code;
    this.title = title == null ? "" : title;
    this.detail = detail == null ? "" : detail;
  }

  /** The request that failed, e.g. {@code "POST /api/v1/sessions"}. */
  public String request() {
    return request;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return detail;
  }
}
