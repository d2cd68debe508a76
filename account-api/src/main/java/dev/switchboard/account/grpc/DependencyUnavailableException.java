package dev.switchboard.account.grpc;

/**
 * A service account-api depends on (user-status, a connector, offline-store) could not answer in
 * time. Answered with 503: account-api fails closed rather than, say, accepting a token it could
 * not check.
 */
public final class DependencyUnavailableException extends RuntimeException {
  private final String dependency;

  public DependencyUnavailableException(String dependency, String message, Throwable cause) {
    super(message, cause);
    this.dependency = dependency;
  }

  public String dependency() {
    return dependency;
  }
}
