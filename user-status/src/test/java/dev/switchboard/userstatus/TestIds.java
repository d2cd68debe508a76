package dev.switchboard.userstatus;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Ids no other test uses: tests share one Redis and isolate their data by id. */
public final class TestIds {

  private final AtomicLong nextUser =
      new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000_000L, 1_000_000_000_000L));

  public long userId() {
    return nextUser.getAndAdd(1);
  }

  public String sessionId() {
    return "sess-" + UUID.randomUUID();
  }

  /** A key prefix of its own, for tests that read shared sets (online count and list). */
  public String keyPrefix() {
    return "test-" + UUID.randomUUID() + ":";
  }
}
