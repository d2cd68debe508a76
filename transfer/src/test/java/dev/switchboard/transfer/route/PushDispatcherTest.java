package dev.switchboard.transfer.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.internal.DeliverRequest;
import dev.switchboard.proto.internal.Delivery;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.transfer.ops.TransferMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PushDispatcherTest {

  private static final String CONV = "s_1_2";

  private final List<List<Long>> lookups = new CopyOnWriteArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstLookupMayFinish = new CountDownLatch(1);
  private PushDispatcher dispatcher;

  /** Bob (2) on conn-a, Carol (3) on conn-b; the first lookup waits until the test lets it go. */
  private List<SessionRoute> routes(Collection<Long> userIds) {
    lookups.add(List.copyOf(userIds));
    if (lookups.size() == 1) {
      try {
        firstLookupMayFinish.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<SessionRoute> found = new ArrayList<>();
    for (long user : userIds) {
      if (user == 2 || user == 3) {
        found.add(
            SessionRoute.newBuilder()
                .setUserId(user)
                .setDeviceId("phone")
                .setConnectorId(user == 2 ? "conn-a" : "conn-b")
                .build());
      }
    }
    return found;
  }

  private void deliver(String connector, DeliverRequest request) {
    for (Delivery d : request.getDeliveriesList()) {
      events.add(connector + ":" + d.getUserId() + ":" + d.getFrame().getChatMsg().getSeq());
    }
    events.add(connector + ":call");
  }

  private static Frame chat(long seq) {
    return Frame.newBuilder().setChatMsg(ChatMsg.newBuilder().setSeq(seq)).build();
  }

  private PushDispatcher start() {
    dispatcher =
        new PushDispatcher(
            this::routes, this::deliver, new TransferMetrics(new SimpleMeterRegistry()), 1, 100);
    return dispatcher;
  }

  @AfterEach
  void stop() {
    if (dispatcher != null) {
      dispatcher.close(Duration.ofSeconds(1));
    }
  }

  @Test
  void pushesQueuedWhileTheLaneIsBusy_shareOneLookup_andOneDeliverPerConnector_inOrder() {
    start();
    dispatcher.push(CONV, List.of(Recipient.allDevices(2)), chat(1)); // its lookup blocks
    await().atMost(Duration.ofSeconds(5)).until(() -> lookups.size() == 1);
    dispatcher.push(CONV, List.of(Recipient.allDevices(2)), chat(2));
    dispatcher.push("s_1_3", List.of(Recipient.allDevices(3)), chat(7));
    dispatcher.push(CONV, List.of(Recipient.allDevices(2)), chat(3));
    firstLookupMayFinish.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 7);
    assertThat(lookups).hasSize(2);
    assertThat(lookups.get(1)).containsExactly(2L, 3L);
    assertThat(events)
        .containsExactly(
            "conn-a:2:1",
            "conn-a:call",
            "conn-a:2:2",
            "conn-a:2:3",
            "conn-a:call",
            "conn-b:3:7",
            "conn-b:call");
  }

  @Test
  void aTaskRunsBetweenThePushesQueuedBeforeAndAfterIt() {
    start();
    dispatcher.push(CONV, List.of(Recipient.allDevices(2)), chat(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> lookups.size() == 1);
    dispatcher.push(CONV, List.of(Recipient.allDevices(2)), chat(2));
    dispatcher.execute(CONV, () -> events.add("task"));
    dispatcher.push(CONV, List.of(Recipient.allDevices(2)), chat(3));
    firstLookupMayFinish.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 7);
    assertThat(events)
        .containsExactly(
            "conn-a:2:1",
            "conn-a:call",
            "conn-a:2:2",
            "conn-a:call",
            "task",
            "conn-a:2:3",
            "conn-a:call");
  }

  @Test
  void aRecipientWithoutRoutes_getsNoDeliver_andOthersStillDo() {
    firstLookupMayFinish.countDown();
    start();
    dispatcher.push(CONV, List.of(Recipient.allDevices(9), Recipient.allDevices(2)), chat(4));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
    assertThat(events).containsExactly("conn-a:2:4", "conn-a:call");
  }
}
