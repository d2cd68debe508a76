package dev.switchboard.bench.target;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the Kafka broker among the ports of a local {@code ./im up} process, which starts Kafka on
 * a free port and tells it only in its banner. Each port gets one Kafka ApiVersions (v0) request;
 * the broker is the port whose answer lists ListOffsets (the KRaft controller answers too, but
 * without it). Anything else (HTTP, gRPC, ZooKeeper, MySQL) fails to parse or times out.
 */
public final class KafkaProbe {
  private static final short API_VERSIONS = 18;
  private static final short LIST_OFFSETS = 2;
  private static final int CORRELATION_ID = 0x5b0a;
  private static final int TIMEOUT_MS = 700;
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  private KafkaProbe() {}

  /** {@code 127.0.0.1:port} of the broker among {@code ports}, probed in parallel. */
  public static Optional<String> findBroker(List<Integer> ports) {
    List<CompletableFuture<Boolean>> probes =
        ports.stream().map(p -> CompletableFuture.supplyAsync(() -> isBroker(p))).toList();
    for (int i = 0; i < ports.size(); i++) {
      if (probes.get(i).join()) {
        return Optional.of("127.0.0.1:" + ports.get(i));
      }
    }
    return Optional.empty();
  }

  static boolean isBroker(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      byte[] clientId = "switchboard-bench-probe".getBytes(StandardCharsets.UTF_8);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(2 + 2 + 4 + 2 + clientId.length);
      out.writeShort(API_VERSIONS);
      out.writeShort(0);
      out.writeInt(CORRELATION_ID);
      out.writeShort(clientId.length);
      out.write(clientId);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int length = in.readInt();
      if (length < 10 || length > MAX_ANSWER_BYTES || in.readInt() != CORRELATION_ID) {
        return false;
      }
      if (in.readShort() != 0) {
        return false;
      }
      int apis = in.readInt();
      if (apis < 0 || apis * 6 > length) {
        return false;
      }
      for (int i = 0; i < apis; i++) {
        short key = in.readShort();
        in.readShort();
        in.readShort();
        if (key == LIST_OFFSETS) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
