package dev.switchboard.connector.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connector.session.LocalDelivery;
import dev.switchboard.connector.session.Session;
import dev.switchboard.connector.session.SessionTable;
import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.KickReason;
import dev.switchboard.proto.Notice;
import dev.switchboard.proto.NoticeType;
import dev.switchboard.proto.internal.ConnectorGrpc;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.DeliverResponse;
import dev.switchboard.proto.internal.Delivery;
import dev.switchboard.proto.internal.KickRequest;
import dev.switchboard.proto.internal.KickResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Connector gRPC service in-process, over sessions on EmbeddedChannels. */
class ConnectorGrpcServiceTest {
  private final SessionTable sessions = new SessionTable();
  private final List<EmbeddedChannel> channels = new ArrayList<>();
  private Server server;
  private ManagedChannel channel;
  private ConnectorGrpc.ConnectorBlockingStub stub;

  @BeforeEach
  void setUp() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new ConnectorGrpcService(new LocalDelivery(sessions)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = ConnectorGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void tearDown() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void deliver_writesToEveryDeviceOfTheUserExceptTheExcludedOne() {
    EmbeddedChannel phone = login(7, "phone");
    EmbeddedChannel laptop = login(7, "laptop");
    EmbeddedChannel tablet = login(7, "tablet");
    Frame frame = chat(1);

    DeliverResponse response =
        deliver(Delivery.newBuilder().setUserId(7).setExcludeDeviceId("phone").setFrame(frame));

    assertThat(response.getDeliveredSessions()).isEqualTo(2);
    assertThat(response.getMissingUserIdsList()).isEmpty();
    assertThat((Object) phone.readOutbound()).isNull();
    assertThat((Frame) laptop.readOutbound()).isEqualTo(frame);
    assertThat((Frame) tablet.readOutbound()).isEqualTo(frame);
  }

  @Test
  void deliver_ofANotice_reachesTheSessionAsIs() {
    EmbeddedChannel bob = login(8, "phone");
    Frame notice =
        Frame.newBuilder()
            .setNotice(
                Notice.newBuilder()
                    .setType(NoticeType.PRESENCE)
                    .setFromUserId(7)
                    .setOnline(true)
                    .setAtMs(1234))
            .build();

    DeliverResponse response = deliver(Delivery.newBuilder().setUserId(8).setFrame(notice));

    assertThat(response.getDeliveredSessions()).isEqualTo(1);
    assertThat((Frame) bob.readOutbound()).isEqualTo(notice);
  }

  @Test
  void deliver_toOneDevice_writesOnlyThere() {
    EmbeddedChannel phone = login(7, "phone");
    EmbeddedChannel laptop = login(7, "laptop");

    DeliverResponse response =
        deliver(Delivery.newBuilder().setUserId(7).setDeviceId("laptop").setFrame(chat(1)));

    assertThat(response.getDeliveredSessions()).isEqualTo(1);
    assertThat((Object) phone.readOutbound()).isNull();
    assertThat((Frame) laptop.readOutbound()).isEqualTo(chat(1));
  }

  @Test
  void deliver_reportsUsersWithoutAMatchingSession() {
    EmbeddedChannel bob = login(8, "phone");
    login(9, "phone").close();

    DeliverResponse response =
        deliver(
            Delivery.newBuilder().setUserId(8).setFrame(chat(1)),
            Delivery.newBuilder().setUserId(9).setFrame(chat(2)),
            Delivery.newBuilder().setUserId(10).setFrame(chat(3)),
            Delivery.newBuilder().setUserId(8).setDeviceId("watch").setFrame(chat(4)));

    assertThat(response.getDeliveredSessions()).isEqualTo(1);
    assertThat(response.getMissingUserIdsList()).containsExactly(9L, 10L, 8L);
    assertThat((Frame) bob.readOutbound()).isEqualTo(chat(1));
  }

  @Test
  void deliver_keepsTheOrderOfTheDeliveries() {
    EmbeddedChannel bob = login(8, "phone");

    deliver(
        Delivery.newBuilder().setUserId(8).setFrame(chat(1)),
        Delivery.newBuilder().setUserId(8).setFrame(chat(2)),
        Delivery.newBuilder().setUserId(8).setFrame(chat(3)));

    assertThat(List.of(bob.readOutbound(), bob.readOutbound(), bob.readOutbound()))
        .containsExactly(chat(1), chat(2), chat(3));
  }

  @Test
  void deliver_withoutUserOrFrame_isInvalidArgument() {
    assertThatThrownBy(() -> deliver(Delivery.newBuilder().setUserId(8)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void kick_endsMatchingSessionsExceptTheKeptOne() {
    EmbeddedChannel old = login(7, "phone");
    EmbeddedChannel laptop = login(7, "laptop");
    Session kept = sessions.find(7, "laptop").orElseThrow();

    KickResponse response =
        stub.kick(
            KickRequest.newBuilder()
                .setUserId(7)
                .setKeepSessionId(kept.sessionId())
                .setReason(KickReason.LOGGED_OUT)
                .build());

    assertThat(response.getKickedSessions()).isEqualTo(1);
    Frame kick = old.readOutbound();
    assertThat(kick.getKick().getReason()).isEqualTo(KickReason.LOGGED_OUT);
    assertThat(old.isOpen()).isFalse();
    assertThat(laptop.isOpen()).isTrue();
  }

  @Test
  void kick_ofOneDevice_leavesTheOthers() {
    EmbeddedChannel phone = login(7, "phone");
    EmbeddedChannel laptop = login(7, "laptop");

    KickResponse response =
        stub.kick(
            KickRequest.newBuilder()
                .setUserId(7)
                .setDeviceId("phone")
                .setReason(KickReason.TOKEN_REVOKED)
                .setMessage("logged out")
                .build());

    assertThat(response.getKickedSessions()).isEqualTo(1);
    assertThat(((Frame) phone.readOutbound()).getKick().getMessage()).isEqualTo("logged out");
    assertThat(phone.isOpen()).isFalse();
    assertThat(laptop.isOpen()).isTrue();
  }

  @Test
  void kick_ofAnUnknownUser_kicksNothing() {
    assertThat(stub.kick(KickRequest.newBuilder().setUserId(99).build()).getKickedSessions())
        .isZero();
  }

  private DeliverResponse deliver(Delivery.Builder... deliveries) {
    DeliverRequest.Builder request = DeliverRequest.newBuilder();
    for (Delivery.Builder delivery : deliveries) {
      request.addDeliveries(delivery);
    }
    return stub.deliver(request.build());
  }

  /** A session whose channel records the frames written to it. */
  private EmbeddedChannel login(long userId, String deviceId) {
    EmbeddedChannel embedded = new EmbeddedChannel();
    channels.add(embedded);
    Session session =
        new Session(
            userId + "-" + deviceId + "-" + channels.size(),
            userId,
            deviceId,
            "token",
            "conn-test",
            embedded);
    sessions.put(session);
    embedded.closeFuture().addListener(f -> sessions.remove(session));
    return embedded;
  }

  private static Frame chat(long id) {
    return Frame.newBuilder()
        .setChatMsg(ChatMsg.newBuilder().setId(id).setMsgBody("m" + id))
        .build();
  }
}
