package dev.switchboard.client.rest;

/** The connector a login assigned: its id (for logs and support) and client TCP address. */
public record ConnectorAddress(String id, String host, int port) {

  @Override
  public String toString() {
    return id + " (" + host + ":" + port + ")";
  }
}
