package dev.switchboard.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NothingLeftBehindIT {

  /**
   * JVM-wide daemon pools that outlive any one server by design: the JDK's process reaper and the
   * tick threads of Kafka's static Yammer metrics registry.
   */
  private static final Pattern JVM_WIDE_DAEMONS =
      Pattern.compile("process reaper|metrics-meter-tick-thread-\\d+");

  @TempDir Path dataDir;

  @Test
  void closedServers_leaveNoPortProcessOrThreadBehind() throws Exception {
    Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
    long childrenBefore = ProcessHandle.current().children().count();
    EmbeddedRedis redis = EmbeddedRedis.start(dataDir.resolve("redis"), 0);
    EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start(dataDir.resolve("mariadb"), 0);
    EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
    EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(dataDir.resolve("zookeeper"), 0);
    mariaDb.jdbcUrl("devkit_leaks");
    assertThat(ProcessHandle.current().children().count()).isEqualTo(childrenBefore + 2);

    for (AutoCloseable server : List.of(redis, mariaDb, kafka, zooKeeper)) {
      server.close();
    }

    assertThat(List.of(redis.port(), mariaDb.port(), kafka.port(), zooKeeper.port()))
        .allMatch(Ports::isFree);
    assertThat(ProcessHandle.current().children().count()).isEqualTo(childrenBefore);
    await()
        .pollInSameThread() // so Awaitility's own thread is not counted
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(threadsStartedSince(threadsBefore)).isEmpty());
  }

  private static Set<String> threadsStartedSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(thread -> !before.contains(thread))
        .filter(
            thread -> !(thread.isDaemon() && JVM_WIDE_DAEMONS.matcher(thread.getName()).matches()))
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }
}
