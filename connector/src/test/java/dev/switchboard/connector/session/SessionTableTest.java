package dev.switchboard.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionTableTest {
  private final SessionTable table = new SessionTable();
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void tearDown() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void put_returnsTheSessionItReplacedForTheSameDevice() {
    Session first = session(1, "phone");
    Session second = session(1, "phone");

    assertThat(table.put(first)).isEmpty();
    assertThat(table.put(second)).contains(first);
    assertThat(table.find(1, "phone")).contains(second);
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void remove_ofAReplacedSession_leavesTheNewOne() {
    Session first = session(1, "phone");
    Session second = session(1, "phone");
    table.put(first);
    table.put(second);

    assertThat(table.remove(first)).isFalse();
    assertThat(table.find(1, "phone")).contains(second);
    assertThat(table.remove(second)).isTrue();
    assertThat(table.find(1, "phone")).isEmpty();
    assertThat(table.size()).isZero();
  }

  @Test
  void sessionsOf_listsEveryDeviceOfTheUser() {
    Session phone = session(1, "phone");
    Session laptop = session(1, "laptop");
    Session other = session(2, "phone");
    table.put(phone);
    table.put(laptop);
    table.put(other);

    assertThat(table.sessionsOf(1)).containsExactlyInAnyOrder(phone, laptop);
    assertThat(table.sessionsOf(3)).isEmpty();
    assertThat(table.all()).containsExactlyInAnyOrder(phone, laptop, other);
    assertThat(table.size()).isEqualTo(3);
  }

  @Test
  void concurrentPutsAndRemoves_keepTheCountExact() throws Exception {
    int threads = 4;
    int perThread = 500;
    List<List<Session>> byThread = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Session> sessions = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        // every thread works on the same 50 users, each thread on its own devices
        sessions.add(
            new Session("s" + t + "-" + i, i % 50, "d" + t + "-" + i, "t", "c", channel()));
      }
      byThread.add(sessions);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (List<Session> sessions : byThread) {
        pool.submit(
            () -> {
              start.await();
              sessions.forEach(table::put);
              sessions.subList(0, perThread / 2).forEach(table::remove);
              return null;
            });
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }

    assertThat(table.size()).isEqualTo(threads * perThread / 2);
    assertThat(table.all()).hasSize(threads * perThread / 2);
  }

  private Session session(long userId, String deviceId) {
    return new Session("s-" + channels.size(), userId, deviceId, "token", "conn-test", channel());
  }

  private EmbeddedChannel channel() {
    EmbeddedChannel channel = new EmbeddedChannel();
    synchronized (channels) {
      channels.add(channel);
    }
    return channel;
  }
}
