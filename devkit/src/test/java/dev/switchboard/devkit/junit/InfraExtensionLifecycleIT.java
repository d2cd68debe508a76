package dev.switchboard.devkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.switchboard.devkit.EmbeddedKafka;
import dev.switchboard.devkit.EmbeddedMariaDb;
import dev.switchboard.devkit.EmbeddedRedis;
import dev.switchboard.devkit.EmbeddedZooKeeper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

@ExtendWith(InfraExtension.class)
@TestInstance(Lifecycle.PER_CLASS)
class InfraExtensionLifecycleIT {

  private EmbeddedKafka kafkaFromBeforeAll;

  @BeforeAll
  void beforeAllParameters_areResolvedToo(EmbeddedKafka kafka) {
    kafkaFromBeforeAll = kafka;
  }

  @Test
  void everyTestClassOfTheJvm_getsTheSameInstances(
      EmbeddedRedis redis,
      EmbeddedMariaDb mariaDb,
      EmbeddedKafka kafka,
      EmbeddedZooKeeper zooKeeper) {
    assertThat(kafka).isSameAs(kafkaFromBeforeAll);
    assertThat(SharedInstances.firstSeen(redis)).isSameAs(redis);
    assertThat(SharedInstances.firstSeen(mariaDb)).isSameAs(mariaDb);
    assertThat(SharedInstances.firstSeen(kafka)).isSameAs(kafka);
    assertThat(SharedInstances.firstSeen(zooKeeper)).isSameAs(zooKeeper);
  }

  @Test
  void serversOfATestRun_areStoppedAndDeletedWhenTheRunEnds() {
    long childProcessesBefore = ProcessHandle.current().children().count();
    // A nested JUnit run has its own root context: when execute() returns, it has been closed.
    Events events =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(ProbeRun.class))
            .execute()
            .allEvents();
    events.assertStatistics(stats -> stats.failed(0));
    Map<String, String> reported =
        events.reportingEntryPublished().stream()
            .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
            .flatMap(pairs -> pairs.entrySet().stream())
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(reported).hasSize(8);

    for (String server : List.of("redis", "mariadb", "kafka", "zookeeper")) {
      int port = Integer.parseInt(reported.get(server + ".port"));
      assertThat(isFree(port)).as(server + " port " + port + " is free").isTrue();
      assertThat(Path.of(reported.get(server + ".dataDir"))).doesNotExist();
    }
    assertThat(ProcessHandle.current().children().count())
        .as("the nested run's redis-server and mariadbd are gone")
        .isEqualTo(childProcessesBefore);
  }

  /** Run by the nested engine only (failsafe skips nested classes). */
  @ExtendWith(InfraExtension.class)
  static class ProbeRun {

    @Test
    void reportsItsServers(
        EmbeddedRedis redis,
        EmbeddedMariaDb mariaDb,
        EmbeddedKafka kafka,
        EmbeddedZooKeeper zooKeeper,
        TestReporter reporter) {
      assertThat(Files.isDirectory(redis.dataDir())).isTrue();
      reporter.publishEntry(
          Map.of(
              "redis.port", Integer.toString(redis.port()),
              "redis.dataDir", redis.dataDir().toString(),
              "mariadb.port", Integer.toString(mariaDb.port()),
              "mariadb.dataDir", mariaDb.dataDir().toString(),
              "kafka.port", Integer.toString(kafka.port()),
              "kafka.dataDir", kafka.dataDir().toString(),
              "zookeeper.port", Integer.toString(zooKeeper.port()),
              "zookeeper.dataDir", zooKeeper.dataDir().toString()));
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
