package dev.switchboard.launcher.system;

import dev.switchboard.proto.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A bare TCP connection speaking (or deliberately not speaking) the wire protocol. */
final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawConnection(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  void send(Frame frame) throws IOException {
    frame.writeDelimitedTo(out);
    out.flush();
  }

  void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame, or null when the server closed the connection. */
  Frame read() throws IOException {
    return Frame.parseDelimitedFrom(in);
  }

  /** True once the server closed the connection (reads to end of stream within the timeout). */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // A reset is the server closing too.
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
