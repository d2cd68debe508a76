package dev.switchboard.bench.jmh;

import dev.switchboard.connector.session.Session;
import dev.switchboard.connector.session.SessionTable;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.ThreadLocalRandom;
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
 * The connector's session table: a delivery looks up the recipient's sessions, a login adds one.
 * {@code devicesPerUser} shows what a user with many devices costs a login, since the table
 * replaces a user's device map as a whole on every change.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SessionLookupBenchmark {
  @Param({"100000"})
  int sessions;

  @Param({"1", "10", "1000"})
  int devicesPerUser;

  private SessionTable table;
  private EmbeddedChannel channel;
  private int users;

  @Setup(Level.Trial)
  public void setUp() {
    table = new SessionTable();
    channel = new EmbeddedChannel();
    users = Math.max(1, sessions / devicesPerUser);
    for (int i = 0; i < sessions; i++) {
      table.put(session(i % users, "d" + (i / users)));
    }
  }

  private Session session(long user, String device) {
    return new Session("s-" + user + "-" + device, user, device, "t", "conn-1", channel);
  }

  @Benchmark
  public Object sessionsOfUser() {
    return table.sessionsOf(ThreadLocalRandom.current().nextInt(users));
  }

  @Benchmark
  public Object findDevice() {
    return table.find(ThreadLocalRandom.current().nextInt(users), "d0");
  }

  /** A re-login of an existing device: the replace path of every login. */
  @Benchmark
  public Object relogin() {
    return table.put(session(ThreadLocalRandom.current().nextInt(users), "d0"));
  }
}
