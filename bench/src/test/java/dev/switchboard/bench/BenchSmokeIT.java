package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.cli.BenchCommand;
import dev.switchboard.bench.target.InProcessSystem;
import dev.switchboard.bench.target.Target;
import dev.switchboard.common.auth.TokenService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke run in {@code mvn verify}: every scenario, tiny, through the same command line as
 * {@code ./im bench}, against one cluster started in this JVM. Each must finish, write its JSON
 * report, report non-zero figures and lose nothing. The real figures come from long runs on {@code
 * ./im up} (README, Performance).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchSmokeIT {
  private final ObjectMapper json = new ObjectMapper();
  private InProcessSystem system;
  private Target target;
  @TempDir Path dir;

  @BeforeAll
  void startSystem() throws Exception {
    system = InProcessSystem.start(2, Map.of());
    target = system.target();
  }

  @AfterAll
  void stopSystem() {
    system.close();
  }

  /** The options that point a run at the in-process system, minus Kafka for the probe test. */
  private List<String> targetArgs(boolean withKafka) {
    List<String> args = new ArrayList<>();
    args.add("--api=" + target.apiUrl());
    args.add("--jwt-secret=" + TokenService.encodeSecret(target.jwtSecret().orElseThrow()));
    if (withKafka) {
      args.add("--kafka-bootstrap=" + target.kafkaBootstrap().orElseThrow());
    }
    return args;
  }

  private Run bench(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        BenchCommand.commandLine(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Run(int exit, String out, String err) {}

  private JsonNode runScenario(String scenario, boolean withKafka, String... options)
      throws Exception {
    Path report = dir.resolve(scenario + ".json");
    List<String> args = new ArrayList<>(List.of(scenario));
    if (!scenario.equals("baseline")) {
      args.addAll(targetArgs(withKafka));
    }
    args.addAll(List.of(options));
    args.add("--out=" + report);
    Run run = bench(args.toArray(String[]::new));
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("== " + scenario);
    JsonNode root = json.readTree(Files.readString(report));
    assertThat(root.path("machine").path("cores").asInt()).isPositive();
    assertThat(root.path("config").size()).isPositive();
    return root.path("figures");
  }

  private static void assertNothingLost(JsonNode f) {
    assertThat(f.path("lost").asLong(-1)).isZero();
    assertThat(f.path("duplicates").asLong(-1)).isZero();
    assertThat(f.path("order_violations").asLong(-1)).isZero();
  }

  @Test
  void p2pWithBaseline_reportsThroughputLatencyLagAndRatios() throws Exception {
    // No --kafka-bootstrap: the run must find this JVM's Kafka among its listening ports.
    JsonNode f =
        runScenario("p2p", false, "--users=4", "--warmup=1s", "--duration=2s", "--with-baseline");
    assertThat(f.path("delivered_per_s").asDouble()).isPositive();
    assertThat(f.path("e2e_latency").path("count").asLong()).isPositive();
    assertThat(f.path("e2e_latency").path("p99Ms").asDouble()).isPositive();
    assertThat(f.path("sent_latency").path("p50Ms").asDouble()).isPositive();
    assertThat(f.path("drained").asBoolean()).isTrue();
    assertThat(f.path("consumer_lag_zero_after_s").isNumber()).isTrue();
    assertThat(f.path("throughput_vs_baseline").asDouble()).isPositive();
    assertThat(f.path("baseline_delivered_per_s").asDouble()).isPositive();
    assertNothingLost(f);
  }

  @Test
  void p2pAtAFixedRate_reportsCorrectedAndUncorrectedLatency() throws Exception {
    JsonNode f = runScenario("p2p", true, "--users=2", "--rate=50", "--warmup=1s", "--duration=2s");
    assertThat(f.path("sent_per_s").asDouble()).isBetween(20.0, 80.0);
    assertThat(f.path("e2e_latency").path("count").asLong()).isPositive();
    assertThat(f.path("e2e_latency_from_actual_send").path("count").asLong()).isPositive();
    assertNothingLost(f);
  }

  @Test
  void baseline_runsWithoutASystem() throws Exception {
    JsonNode f = runScenario("baseline", false, "--users=4", "--warmup=0s", "--duration=2s");
    assertThat(f.path("delivered_per_s").asDouble()).isPositive();
    assertNothingLost(f);
  }

  @Test
  void connections_holdsIdleSessionsFromSeveralSourceAddressesWhilePairsChat() throws Exception {
    JsonNode f =
        runScenario(
            "connections",
            true,
            "--connections=300",
            "--users=10",
            "--chat-pairs=1",
            "--chat-rate=20",
            "--per-source-address=100",
            "--hold=2s");
    assertThat(f.path("connections_open").asLong()).isEqualTo(300);
    assertThat(f.path("login_failures").asLong()).isZero();
    assertThat(f.path("logins_per_s").asDouble()).isPositive();
    assertThat(f.path("dropped_during_hold").asLong()).isZero();
    assertThat(f.path("heap_per_connection_bytes").isNumber()).isTrue();
    assertThat(f.path("chat_delivered").asLong()).isPositive();
    assertNothingLost(f);
  }

  @Test
  void loginStorm_logsEveryClientIn() throws Exception {
    JsonNode f =
        runScenario(
            "login-storm",
            true,
            "--clients=300",
            "--users=10",
            "--per-source-address=100",
            "--warmup-clients=50");
    assertThat(f.path("logged_in").asLong()).isEqualTo(300);
    assertThat(f.path("warmup_logins_per_s").asDouble()).isPositive();
    assertThat(f.path("failed").asLong()).isZero();
    assertThat(f.path("logins_per_s").asDouble()).isPositive();
    assertThat(f.path("time_to_logged_in").path("p99Ms").asDouble()).isPositive();
  }

  @Test
  void offlineSync_deliversEverythingOnceAfterLogin() throws Exception {
    JsonNode f = runScenario("offline-sync", true, "--messages=300", "--senders=2");
    assertThat(f.path("sent").asLong()).isEqualTo(300);
    assertThat(f.path("synced").asLong()).isEqualTo(300);
    assertThat(f.path("complete").asBoolean()).isTrue();
    assertThat(f.path("synced_per_s").asDouble()).isPositive();
    assertNothingLost(f);
  }

  @Test
  void badOptions_failWithAClearMessageAndANonZeroExit() {
    Run odd = bench("p2p", "--users=3");
    assertThat(odd.exit()).isNotZero();
    assertThat(odd.err()).contains("--users must be even");

    Run duration = bench("baseline", "--duration=soon");
    assertThat(duration.exit()).isNotZero();
    assertThat(duration.err()).contains("is not a duration");

    Run unreachable = bench("p2p", "--api=http://127.0.0.1:1", "--users=2");
    assertThat(unreachable.exit()).isNotZero();
    assertThat(unreachable.err()).contains("unreachable");

    Run unknown = bench("nonsense");
    assertThat(unknown.exit()).isNotZero();
  }
}
