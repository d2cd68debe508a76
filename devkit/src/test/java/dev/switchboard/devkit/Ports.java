package dev.switchboard.devkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Test helper: whether nothing listens on a loopback port any more. */
final class Ports {

  private Ports() {}

  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
