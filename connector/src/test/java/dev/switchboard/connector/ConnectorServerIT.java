package dev.switchboard.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.common.auth.TokenService;
import dev.switchboard.common.discovery.Discovery;
import dev.switchboard.common.discovery.ServiceDirectory;
import dev.switchboard.common.discovery.ServiceEndpoint;
import dev.switchboard.common.discovery.ServiceNames;
import dev.switchboard.common.discovery.ZooKeeperClients;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import dev.switchboard.devkit.junit.InfraExtension;
import dev.switchboard.proto.ErrorCode;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.LoginReq;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real ConnectorServer against a real ZooKeeper, spoken to over real sockets. */
@ExtendWith(InfraExtension.class)
class ConnectorServerIT {
  private static final String SECRET = "connector-it-secret-connector-it-secret";

  private final EmbeddedZooKeeper zooKeeper;
  private CuratorFramework zk;
  private Discovery discovery;
  private ServiceDirectory connectors;
  private ConnectorServer server;

  ConnectorServerIT(EmbeddedZooKeeper zooKeeper) {
    this.zooKeeper = zooKeeper;
  }

  @BeforeEach
  void setUp() {
    zk = ZooKeeperClients.connect(zooKeeper.connectString(), Duration.ofSeconds(15));
    discovery = new Discovery(zk);
    connectors = discovery.directory(ServiceNames.CONNECTOR);
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    discovery.close();
    zk.close();
  }

  @Test
  void startedConnector_registersWithItsClientAndGrpcPorts() throws Exception {
    server = start(config(0, 0));

    ServiceEndpoint self = awaitRegistered(server.id());
    assertThat(server.clientPort()).isPositive();
    assertThat(server.grpcPort()).isPositive().isNotEqualTo(server.clientPort());
    assertThat(self.host()).isEqualTo("127.0.0.1");
    assertThat(self.port()).isEqualTo(server.grpcPort());
    assertThat(self.port("client")).isEqualTo(server.clientPort());
    assertThat(self.port("grpc")).isEqualTo(server.grpcPort());
  }

  @Test
  void rawClientSendingGarbage_getsAnErrorFrameAndIsClosed() throws Exception {
    server = start(config(0, 0));

    try (Socket socket = connect(server.clientPort())) {
      OutputStream out = socket.getOutputStream();
      // not a varint32: six bytes with the continuation bit set
      out.write(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
      out.flush();

      InputStream in = socket.getInputStream();
      Frame answer = Frame.parseDelimitedFrom(in);
      assertThat(answer.getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
      assertThat(in.read()).as("closed by the server").isEqualTo(-1);
    }
  }

  @Test
  void httpRequestOnTheClientPort_getsAnErrorFrameAndIsClosed() throws Exception {
    server = start(config(0, 0));

    try (Socket socket = connect(server.clientPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n"
                      + "Connection: keep-alive\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));

      InputStream in = socket.getInputStream();
      Frame answer = Frame.parseDelimitedFrom(in);
      assertThat(answer.hasError()).isTrue();
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void loginWhileNoUserStatusRuns_isRefusedAsUnavailable() throws Exception {
    server = start(config(0, 0));
    String token =
        new TokenService(SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC())
            .issue(1, "phone", Duration.ofMinutes(5))
            .token();

    try (Socket socket = connect(server.clientPort())) {
      Frame.newBuilder()
          .setRequestId(1)
          .setLoginReq(LoginReq.newBuilder().setToken(token).setDeviceId("phone"))
          .build()
          .writeDelimitedTo(socket.getOutputStream());

      InputStream in = socket.getInputStream();
      assertThat(Frame.parseDelimitedFrom(in).getLoginResp().getOk()).isFalse();
      assertThat(Frame.parseDelimitedFrom(in).getError().getCode())
          .isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void metricsEndpoint_servesTheConnectorsMeters() throws Exception {
    server = start(config(0, 0));

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("connector_sessions").contains("connector_frames_in");
  }

  @Test
  void close_deregistersAndFreesBothPorts() throws Exception {
    server = start(config(0, 0));
    String id = server.id();
    int clientPort = server.clientPort();
    int grpcPort = server.grpcPort();
    awaitRegistered(id);

    server.close();
    server.close(); // idempotent

    await().atMost(Duration.ofSeconds(10)).until(() -> connectors.byId(id).isEmpty());
    assertPortFree(clientPort);
    assertPortFree(grpcPort);
  }

  @Test
  void takenClientPort_failsStartWithAClearMessageAndRegistersNothing() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      ConnectorConfig config = config(taken.getLocalPort(), 0);
      ConnectorServer failing = new ConnectorServer(config);

      assertThatThrownBy(failing::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("already in use");
      assertThat(connectors.byId(config.id())).isEmpty();
      failing.close();
    }
  }

  @Test
  void takenGrpcPort_failsStartWithAClearMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      ConnectorServer failing = new ConnectorServer(config(0, taken.getLocalPort()));

      assertThatThrownBy(failing::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + taken.getLocalPort() + " (connector gRPC)")
          .hasMessageContaining("already in use");
      failing.close();
    }
  }

  private ConnectorServer start(ConnectorConfig config) throws Exception {
    ConnectorServer started = new ConnectorServer(config);
    started.start();
    return started;
  }

  private ConnectorConfig config(int clientPort, int grpcPort) {
    return ConnectorConfig.fromEnv(
        dev.switchboard.common.config.Env.of(
            Map.of(
                "IM_CONNECTOR_ID",
                "conn-it-" + UUID.randomUUID().toString().substring(0, 8),
                "IM_CONNECTOR_PORT",
                Integer.toString(clientPort),
                "IM_CONNECTOR_GRPC_PORT",
                Integer.toString(grpcPort),
                "IM_ZK_CONNECT",
                zooKeeper.connectString(),
                "IM_JWT_SECRET",
                SECRET,
                "IM_RPC_DEADLINE",
                "2s",
                "IM_SHUTDOWN_TIMEOUT",
                "5s")));
  }

  private ServiceEndpoint awaitRegistered(String id) {
    await().atMost(Duration.ofSeconds(10)).until(() -> connectors.byId(id).isPresent());
    Optional<ServiceEndpoint> endpoint = connectors.byId(id);
    return endpoint.orElseThrow();
  }

  private static Socket connect(int port) throws Exception {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static void assertPortFree(int port) throws Exception {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
    }
  }
}
