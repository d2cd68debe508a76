package dev.switchboard.transfer.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.Delivery;
import dev.switchboard.proto.internal.SessionRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushPlannerTest {
  private static final long ALICE = 1;
  private static final long BOB = 2;
  private static final Frame FRAME =
      Frame.newBuilder().setChatMsg(ChatMsg.newBuilder().setId(9)).build();

  private static SessionRoute route(long user, String device, String connector) {
    return SessionRoute.newBuilder()
        .setUserId(user)
        .setDeviceId(device)
        .setConnectorId(connector)
        .setSessionId(user + "-" + device)
        .build();
  }

  @Test
  void recipientAndSendersOtherDevices_areGroupedByConnector() {
    List<SessionRoute> routes =
        List.of(
            route(BOB, "phone", "c1"),
            route(BOB, "laptop", "c2"),
            route(BOB, "tablet", "c1"),
            route(ALICE, "phone", "c1"),
            route(ALICE, "laptop", "c2"));

    Map<String, DeliverRequest> plan =
        PushPlanner.plan(PushPlanner.chatRecipients(ALICE, "phone", BOB), routes, FRAME);

    assertThat(plan).containsOnlyKeys("c1", "c2");
    // c1: Bob once (the connector writes to all his sessions there); Alice's phone is the sender.
    assertThat(plan.get("c1").getDeliveriesList())
        .extracting(Delivery::getUserId)
        .containsExactly(BOB);
    // c2: Bob's laptop and Alice's laptop, which must not show the message twice on the phone.
    assertThat(plan.get("c2").getDeliveriesList())
        .extracting(Delivery::getUserId, Delivery::getExcludeDeviceId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(BOB, ""),
            org.assertj.core.groups.Tuple.tuple(ALICE, "phone"));
    assertThat(plan.get("c2").getDeliveries(0).getFrame()).isEqualTo(FRAME);
  }

  @Test
  void noRoutes_meansNoCalls() {
    assertThat(PushPlanner.plan(PushPlanner.chatRecipients(ALICE, "phone", BOB), List.of(), FRAME))
        .isEmpty();
  }

  @Test
  void senderWithOnlyTheSendingDevice_getsNothing() {
    Map<String, DeliverRequest> plan =
        PushPlanner.plan(
            PushPlanner.chatRecipients(ALICE, "phone", BOB),
            List.of(route(ALICE, "phone", "c1")),
            FRAME);
    assertThat(plan).isEmpty();
  }

  @Test
  void noteToSelf_goesToTheSendersOtherDevicesOnly() {
    List<Recipient> recipients = PushPlanner.chatRecipients(ALICE, "phone", ALICE);
    assertThat(recipients).containsExactly(new Recipient(ALICE, "phone"));
    Map<String, DeliverRequest> plan =
        PushPlanner.plan(
            recipients, List.of(route(ALICE, "phone", "c1"), route(ALICE, "pc", "c1")), FRAME);
    assertThat(plan.get("c1").getDeliveriesList())
        .extracting(Delivery::getExcludeDeviceId)
        .containsExactly("phone");
  }

  @Test
  void receipt_goesToAllDevicesOfTheOriginalSender() {
    Map<String, DeliverRequest> plan =
        PushPlanner.plan(
            List.of(Recipient.allDevices(ALICE)),
            List.of(route(ALICE, "phone", "c1"), route(BOB, "phone", "c2")),
            FRAME);
    assertThat(plan).containsOnlyKeys("c1");
    assertThat(plan.get("c1").getDeliveries(0).getExcludeDeviceId()).isEmpty();
  }
}
