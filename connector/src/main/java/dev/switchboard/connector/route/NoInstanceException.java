package dev.switchboard.connector.route;

/** No live instance of a service is registered in ZooKeeper. */
public final class NoInstanceException extends RuntimeException {
  public NoInstanceException(String serviceName) {
    super("no " + serviceName + " instance is available", null, false, false);
  }
}
