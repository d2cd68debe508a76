package dev.switchboard.bench.jmh;

import dev.switchboard.proto.ChatMsg;
import dev.switchboard.proto.Frame;
import dev.switchboard.proto.internal.SessionRoute;
import dev.switchboard.transfer.route.PushPlanner;
import dev.switchboard.transfer.route.Recipient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Transfer's routing step: the recipient's and the sender's routes turned into one Deliver request
 * per connector, for every message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PushPlanBenchmark {
  @Param({"1", "4"})
  int devicesPerUser;

  private List<Recipient> recipients;
  private List<SessionRoute> routes;
  private Frame frame;

  @Setup(Level.Trial)
  public void setUp() {
    long from = 1001;
    long to = 2002;
    recipients = PushPlanner.chatRecipients(from, "phone", to);
    routes = new ArrayList<>();
    for (long user : new long[] {from, to}) {
      for (int d = 0; d < devicesPerUser; d++) {
        routes.add(
            SessionRoute.newBuilder()
                .setUserId(user)
                .setDeviceId(d == 0 ? "phone" : "device-" + d)
                .setConnectorId("conn-" + (1 + (d + user) % 2))
                .build());
      }
    }
    frame =
        Frame.newBuilder()
            .setChatMsg(ChatMsg.newBuilder().setId(7).setFromId(from).setDestId(to).setSeq(3))
            .build();
  }

  @Benchmark
  public Object plan() {
    return PushPlanner.plan(recipients, routes, frame);
  }
}
