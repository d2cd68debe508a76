package dev.switchboard.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginReq;
import dev.switchboard.proto.Notice;
import java.io.IOException;
import java.net.Socket;

/**
 * A raw TCP client device on a connector, logged in with a token, as a third-party app would be.
 */
final class DeviceConnection implements AutoCloseable {
  private final Socket socket;

  private DeviceConnection(Socket socket) {
    this.socket = socket;
  }

  static DeviceConnection login(int port, String token, String deviceId) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15_000);
    DeviceConnection device = new DeviceConnection(socket);
    Frame.newBuilder()
        .setRequestId(1)
        .setLoginReq(LoginReq.newBuilder().setToken(token).setDeviceId(deviceId))
        .build()
        .writeDelimitedTo(socket.getOutputStream());
    assertThat(device.next(Frame.BodyCase.LOGIN_RESP).getLoginResp().getOk())
        .as("login of device " + deviceId)
        .isTrue();
    return device;
  }

  /** The next notice, skipping other frames (Pong, sync); fails after the socket timeout. */
  Notice nextNotice() throws IOException {
    return next(Frame.BodyCase.NOTICE).getNotice();
  }

  Frame next(Frame.BodyCase kind) throws IOException {
    while (true) {
      Frame frame = Frame.parseDelimitedFrom(socket.getInputStream());
      assertThat(frame).as("connection closed before a " + kind + " frame").isNotNull();
      if (frame.getBodyCase() == kind) {
        return frame;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
