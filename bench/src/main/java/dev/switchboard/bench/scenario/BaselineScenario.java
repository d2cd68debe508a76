package dev.switchboard.bench.scenario;

import dev.switchboard.bench.load.ChatLoadConfig;
import dev.switchboard.bench.load.ChatRun;
import dev.switchboard.bench.relay.RelayServer;
import dev.switchboard.bench.report.Report;
import dev.switchboard.client.rest.ConnectorAddress;
import dev.switchboard.client.rest.LoginSession;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code baseline}: the chat load of {@code p2p}, same clients, framing and payload, against the
 * in-process {@link RelayServer} with no durability. Its figures are the machine's transport
 * ceiling; {@code p2p --with-baseline} divides by them.
 */
public final class BaselineScenario {
  /** The relay needs no more threads than the connector has cores to use. */
  static final int RELAY_THREADS = 2;

  public Report run(int users, ChatLoadConfig load, ChatRun.Threads threads) throws Exception {
    Report report = new Report("baseline", Instant.now());
    ChatFigures.config(report, users, load);
    report.config("server", "in-process Netty relay, no durability");
    try (RelayServer relay = RelayServer.start(RELAY_THREADS)) {
      ConnectorAddress address = new ConnectorAddress("relay", "127.0.0.1", relay.port());
      Instant expires = Instant.now().plus(1, ChronoUnit.DAYS);
      List<LoginSession> a = new ArrayList<>();
      List<LoginSession> b = new ArrayList<>();
      for (int i = 0; i < users / 2; i++) {
        long x = 2L * i + 1;
        long y = 2L * i + 2;
        a.add(new LoginSession(x, RelayServer.tokenFor(x), expires, address));
        b.add(new LoginSession(y, RelayServer.tokenFor(y), expires, address));
      }
      ChatRun.Outcome outcome =
          ChatRun.run(
              URI.create("http://127.0.0.1:1"), a, b, load, threads, Optional.empty(), "base-");
      ChatFigures.add(report, outcome, load.fixedRate());
    }
    return report;
  }
}
