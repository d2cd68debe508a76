package dev.switchboard.bench.lean;

import dev.switchboard.bench.report.LatencySummary;
import dev.switchboard.bench.setup.BenchAccount;
import dev.switchboard.bench.setup.TokenSource;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@code count} lean connections to one connector, connection {@code i} as device {@code
 * <prefix>-<i / users>} of user {@code i % users}, with at most {@code concurrency} logins in
 * flight, and measures each one's time from connect to LoginResp.
 */
public final class LeanRamp {
  private static final Logger log = LoggerFactory.getLogger(LeanRamp.class);

  /** What the ramp did. */
  public record Result(
      List<LeanConnection> open,
      long failed,
      Map<String, Long> failures,
      double seconds,
      LatencySummary loginLatency) {
    public double loginsPerSecond() {
      return seconds <= 0 ? 0 : open.size() / seconds;
    }
  }

  private final LeanClient client;
  private final SourceAddresses sources;
  private final TokenSource tokens;
  private final Duration loginTimeout;

  public LeanRamp(
      LeanClient client, SourceAddresses sources, TokenSource tokens, Duration loginTimeout) {
    this.client = client;
    this.sources = sources;
    this.tokens = tokens;
    this.loginTimeout = loginTimeout;
  }

  /**
   * Tokens for every connection, made before the clock starts (minting is not the server's work).
   */
  public List<String> tokensFor(List<BenchAccount> users, String devicePrefix, int count) {
    List<CompletableFuture<String>> futures = new java.util.ArrayList<>(count);
    Semaphore permits = new Semaphore(8);
    for (int i = 0; i < count; i++) {
      permits.acquireUninterruptibly();
      CompletableFuture<String> f =
          tokens.token(users.get(i % users.size()), device(devicePrefix, users, i));
      f.whenComplete((t, e) -> permits.release());
      futures.add(f);
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  public static String device(String prefix, List<BenchAccount> users, int i) {
    return prefix + "-" + (i / users.size());
  }

  public Result open(
      InetSocketAddress connector,
      List<BenchAccount> users,
      String devicePrefix,
      List<String> tokenList,
      int concurrency) {
    int count = tokenList.size();
    Semaphore permits = new Semaphore(concurrency);
    ConcurrentLinkedQueue<LeanConnection> open = new ConcurrentLinkedQueue<>();
    Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    LongAdder failed = new LongAdder();
    Histogram latency = LatencySummary.newHistogram();
    long start = System.nanoTime();
    long lastReport = start;
    for (int i = 0; i < count; i++) {
      permits.acquireUninterruptibly();
      client
          .open(
              connector,
              sources.forConnection(i),
              tokenList.get(i),
              device(devicePrefix, users, i),
              loginTimeout)
          .whenComplete(
              (c, e) -> {
                if (e == null) {
                  open.add(c);
                  synchronized (latency) {
                    latency.recordValue(Math.max(0, c.loginNanos() / 1000));
                  }
                } else {
                  failed.increment();
                  failures.computeIfAbsent(reason(e), k -> new LongAdder()).increment();
                }
                permits.release();
              });
      long now = System.nanoTime();
      if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
        lastReport = now;
        log.info("{} of {} connections opened, {} failed", open.size(), count, failed.sum());
      }
    }
    permits.acquireUninterruptibly(concurrency); // every login answered
    long end =
        open.stream().mapToLong(LeanConnection::loggedInAtNanos).max().orElse(System.nanoTime());
    Map<String, Long> byReason = new TreeMap<>();
    failures.forEach((k, v) -> byReason.put(k, v.sum()));
    synchronized (latency) {
      return new Result(
          List.copyOf(open),
          failed.sum(),
          byReason,
          (end - start) / 1e9,
          LatencySummary.of(latency));
    }
  }

  private static String reason(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException c ? c.getCause() : e;
    String message = String.valueOf(cause.getMessage());
    return cause.getClass().getSimpleName()
        + (message.length() > 60 ? ": " + message.substring(0, 60) : ": " + message);
  }
}
