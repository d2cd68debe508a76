package dev.switchboard.common.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks that turn "address already in use" into a message naming what wanted the port. */
public final class Ports {
  private Ports() {}

  /** A port that is free right now on the loopback interface. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port available", e);
    }
  }

  /**
   * Fails with a message such as {@code port 8080 (account-api HTTP) on 127.0.0.1 is already in
   * use} when something listens there. Port 0 always passes.
   */
  public static void requireFree(String host, int port, String what) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException(
          "port " + port + " (" + what + ") on " + host + " is already in use", e);
    }
  }
}
