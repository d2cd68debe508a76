package dev.switchboard.bench.setup;

import dev.switchboard.bench.util.AsyncLimiter;
import dev.switchboard.client.rest.AccountApi;
import dev.switchboard.client.rest.LoginSession;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the users of one run over REST, logs them in and makes pairs friends (the default
 * message policy is friends-only). Every run gets fresh users under its own random prefix, so runs
 * never see each other's conversations and every conversation's seqs start at 1, which the delivery
 * checker's hole count relies on.
 *
 * <p>Registration and password login cost an Argon2id hash each (deliberately slow): they run with
 * bounded concurrency, and the scenarios keep the number of REST users modest.
 */
public final class BenchUsers {
  private static final Logger log = LoggerFactory.getLogger(BenchUsers.class);

  private final AccountApi api;
  private final String runId;
  private final String password;
  private final int concurrency;

  public BenchUsers(AccountApi api, int concurrency) {
    this.api = api;
    this.runId = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.password = runId + "-pw";
    this.concurrency = concurrency;
  }

  public String runId() {
    return runId;
  }

  public AccountApi api() {
    return api;
  }

  /** {@code count} new users named {@code <run>-<role>-<i>}. */
  public List<BenchAccount> register(String role, int count) {
    long start = System.nanoTime();
    List<Integer> indexes = IntStream.range(0, count).boxed().toList();
    List<BenchAccount> accounts =
        AsyncLimiter.all(
            indexes,
            concurrency,
            i -> {
              String name = runId + "-" + role + "-" + i;
              return api.registerAsync(name, password, null)
                  .thenApply(u -> new BenchAccount(u.userId(), name, password));
            });
    log.info(
        "registered {} {} users in {} ms", count, role, (System.nanoTime() - start) / 1_000_000);
    return accounts;
  }

  /** A password login per account for {@code deviceId}; account-api picks each one's connector. */
  public List<LoginSession> login(List<BenchAccount> accounts, String deviceId) {
    long start = System.nanoTime();
    List<LoginSession> sessions =
        AsyncLimiter.all(
            accounts, concurrency, a -> api.loginAsync(a.username(), a.password(), deviceId));
    log.info(
        "logged in {} users in {} ms", accounts.size(), (System.nanoTime() - start) / 1_000_000);
    return sessions;
  }

  /** Makes {@code a.get(i)} and {@code b.get(i)} friends: a request and its acceptance. */
  public void befriend(List<LoginSession> a, List<LoginSession> b) {
    List<Integer> pairs = new ArrayList<>(IntStream.range(0, a.size()).boxed().toList());
    AsyncLimiter.all(
        pairs,
        Math.max(concurrency, 8),
        i ->
            api.sendFriendRequestAsync(a.get(i).token(), b.get(i).userId(), "bench")
                .thenCompose(r -> api.acceptFriendRequestAsync(b.get(i).token(), r.id())));
  }
}
