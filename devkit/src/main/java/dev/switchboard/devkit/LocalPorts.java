package dev.switchboard.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers shared by the embedded servers. */
final class LocalPorts {

  static final String HOST = "127.0.0.1";

  private LocalPorts() {}

  /**
   * An ephemeral port that is free right now. Another process may still take it before the server
   * binds; that shows up as a clear "already in use" start failure rather than a silent clash.
   */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  /** {@code port} itself, or a free port when it is 0. */
  static int resolve(int port, String what) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " for " + what + " is out of range");
    }
    return port == 0 ? freePort() : port;
  }

  /**
   * Fails with {@code "port 6390 for Redis is already in use"} when something listens there, so a
   * start failure names the cause instead of surfacing as a server-specific bind error.
   */
  static void requireFree(int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      // Same socket option the servers use: a port in TIME_WAIT after our own close() is free.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " for " + what + " is already in use", e);
    }
  }
}
